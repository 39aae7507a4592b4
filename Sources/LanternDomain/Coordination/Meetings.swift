import Foundation

/// What a person needs to take part in their planning meeting.
public enum Accommodation: String, Vocabulary {
    case interpreter
    case signLanguage = "sign_language"
    case pictures
    case communicationDevice = "communication_device"
    case accessiblePlace = "accessible_place"
    case breaks
    case shortMeeting = "short_meeting"
    public var label: String {
        switch self {
        case .interpreter: "A spoken-language interpreter"
        case .signLanguage: "A sign language interpreter"
        case .pictures: "Pictures and easy-read papers"
        case .communicationDevice: "The person's communication device"
        case .accessiblePlace: "A place the person can get into and move around"
        case .breaks: "Breaks when the person wants them"
        case .shortMeeting: "A short meeting"
        }
    }
}

/// Where a planning meeting stands.
public enum MeetingStatus: String, Vocabulary {
    case planned, held, cancelled
    public var label: String {
        switch self {
        case .planned: "Planned"
        case .held: "Held"
        case .cancelled: "Cancelled"
        }
    }
}

/// Who answers a satisfaction survey.
public enum SurveyRespondent: String, Vocabulary {
    case person, family
    public var label: String {
        switch self {
        case .person: "The person"
        case .family: "Family or guardian"
        }
    }
    /// The questions, in plain words. Each is answered on the three-point scale.
    public var questions: [SurveyQuestion] {
        switch self {
        case .person: [
            SurveyQuestion(id: "services", text: "I like the help I get."),
            SurveyQuestion(id: "listened", text: "People listen to me."),
            SurveyQuestion(id: "choices", text: "I choose what I do each day."),
            SurveyQuestion(id: "safe", text: "I feel safe."),
            SurveyQuestion(id: "coordinator", text: "My coordinator helps me."),
        ]
        case .family: [
            SurveyQuestion(id: "services", text: "The services meet our family member's needs."),
            SurveyQuestion(id: "planning", text: "We were part of making the plan."),
            SurveyQuestion(id: "coordinator", text: "The coordinator answers us and follows up."),
            SurveyQuestion(id: "information", text: "We get the information we need."),
        ]
        }
    }
}

public struct SurveyQuestion: Sendable, Equatable {
    public var id: String
    public var text: String
}

/// The three-point scale, shown with faces and words.
public enum SatisfactionRating: Int, CaseIterable, Sendable, Codable {
    case unhappy = 1, okay = 2, happy = 3
    public var label: String {
        switch self {
        case .unhappy: "Not happy"
        case .okay: "Okay"
        case .happy: "Happy"
        }
    }
    public var symbol: String {
        switch self {
        case .unhappy: "☹"
        case .okay: "😐"
        case .happy: "☺"
        }
    }
}

/// One answered survey as far as the summaries go.
public struct SurveyScore: Sendable, Equatable {
    public var answeredOn: CalendarDate
    public var ratings: [SatisfactionRating]
    public init(answeredOn: CalendarDate, ratings: [SatisfactionRating]) { self.answeredOn = answeredOn; self.ratings = ratings }
    /// The mean rating, from 1 (not happy) to 3 (happy).
    public var mean: Double? { ratings.isEmpty ? nil : Double(ratings.map(\.rawValue).reduce(0, +)) / Double(ratings.count) }
}

/// Satisfaction over time: the mean of the answers of each quarter, and the share of answers that are
/// "happy".
public struct SatisfactionTrend: Sendable, Equatable {
    public struct Quarter: Sendable, Equatable {
        public var year: Int
        public var quarter: Int
        public var surveys: Int
        public var mean: Double
        public var happyShare: Double
        public var label: String { "\(year) Q\(quarter)" }
        public init(year: Int, quarter: Int, surveys: Int, mean: Double, happyShare: Double) {
            self.year = year; self.quarter = quarter; self.surveys = surveys; self.mean = mean; self.happyShare = happyShare
        }
    }
    public var quarters: [Quarter]

    /// The sums of one calendar month (surveys with an answer, answers, the sum of the ratings and the
    /// happy answers), as a database adds them up; months are gathered into quarters here, so the
    /// figures are those `init(_:)` gives from every survey.
    public struct MonthSums: Sendable, Equatable {
        public var year: Int, month: Int, surveys: Int, answers: Int, ratingSum: Int, happy: Int
        public init(year: Int, month: Int, surveys: Int, answers: Int, ratingSum: Int, happy: Int) {
            self.year = year; self.month = month; self.surveys = surveys; self.answers = answers; self.ratingSum = ratingSum; self.happy = happy
        }
    }

    public init(months: [MonthSums]) {
        let grouped = Dictionary(grouping: months.filter { $0.answers > 0 }) { m in m.year * 10 + (m.month - 1) / 3 + 1 }
        quarters = grouped.keys.sorted().map { key in
            let ms = grouped[key]!
            let answers = ms.reduce(0) { $0 + $1.answers }
            return Quarter(year: key / 10, quarter: key % 10, surveys: ms.reduce(0) { $0 + $1.surveys },
                           mean: Double(ms.reduce(0) { $0 + $1.ratingSum }) / Double(answers),
                           happyShare: Double(ms.reduce(0) { $0 + $1.happy }) / Double(answers))
        }
    }

    public init(_ scores: [SurveyScore]) {
        let grouped = Dictionary(grouping: scores.filter { !$0.ratings.isEmpty }) { s in s.answeredOn.year * 10 + (s.answeredOn.month - 1) / 3 + 1 }
        quarters = grouped.keys.sorted().map { key in
            let all = grouped[key]!.flatMap(\.ratings)
            return Quarter(year: key / 10, quarter: key % 10, surveys: grouped[key]!.count,
                           mean: Double(all.map(\.rawValue).reduce(0, +)) / Double(all.count),
                           happyShare: Double(all.filter { $0 == .happy }.count) / Double(all.count))
        }
    }
}

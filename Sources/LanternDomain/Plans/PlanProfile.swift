import Foundation

/// The one-page profile a person reads: what people like and admire about them, what is important to
/// them, how best to support them, the people who matter, and their outcomes in their own words. It is
/// built from the plan's own sections every time, so it can never say something the plan does not; an
/// item the previous signed version did not have is marked new.
public struct PlanProfile: Sendable, Codable, Equatable {
    public struct Item: Sendable, Codable, Equatable {
        public var text: String
        /// Not in the same part of the previous signed version.
        public var isNew: Bool
        /// Written the way the person said it.
        public var ownWords: Bool
    }

    public struct Part: Sendable, Codable, Equatable {
        public var key: String
        /// First person and short, for the person to read ("What is important to me").
        public var heading: String
        public var items: [Item]
    }

    public var parts: [Part]

    /// Fixed words on the profile page that a translation also covers.
    public static let title = "About me"
    public static let newLabel = "New"

    /// Every text a translation of this profile would cover: the fixed words, headings and items.
    public var translatableTexts: [String] {
        var seen = Set<String>(), texts: [String] = []
        for text in [Self.title, Self.newLabel] + parts.flatMap({ [$0.heading] + $0.items.map(\.text) }) where seen.insert(text).inserted {
            texts.append(text)
        }
        return texts
    }

    /// - Parameters:
    ///   - names: circle member id → name, for "people who are important to me".
    ///   - previous: the sections of the previous signed version, or nil when there is none (nothing is new).
    public static func build(_ type: PlanType, sections: [String: SectionContent], names: [String: String],
                             previous: [String: SectionContent]?) -> PlanProfile {
        let now = parts(type, sections, names)
        guard let previous else { return PlanProfile(parts: now) }
        let before = Dictionary(uniqueKeysWithValues: parts(type, previous, names).map { ($0.key, Set($0.items.map(\.text))) })
        return PlanProfile(parts: now.map { part in
            var marked = part
            marked.items = part.items.map { item in
                var item = item
                item.isNew = !(before[part.key]?.contains(item.text) ?? false)
                return item
            }
            return marked
        })
    }

    static func parts(_ type: PlanType, _ s: [String: SectionContent], _ names: [String: String]) -> [Part] {
        func content(_ key: String) -> SectionContent { s[key] ?? [:] }
        func item(_ text: String?, ownWords: Bool = false) -> Item? {
            guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
            return Item(text: text, isNew: false, ownWords: ownWords)
        }
        let child = type == .californiaIFSP
        let strengths = content("strengths").entries("items")
        // Interests are what matters to the person; the rest is what others like and admire in them.
        let admired = strengths.filter { $0.text("kind") != "interest" }.compactMap { item($0.text("description")) }
        var importantTo = content("important-to").entries("statements").compactMap { e in
            item(e.text("statement"), ownWords: e.bool("inOwnWords") == true)
        }
        importantTo += strengths.filter { $0.text("kind") == "interest" }.compactMap { item($0.text("description")) }
        importantTo += [item(content("life-goals").text("lifeGoals")), item(content("family-concerns").text("priorities"))].compactMap { $0 }
        var support = [item(content("support-needs").text("howToSupport")), item(content("support-needs").text("whatWorks"))].compactMap { $0 }
        // A chart row reads as: what the person does, what it means, and what helps.
        support += content("communication-chart").entries("rows").compactMap { row in
            guard let does = row.text("personDoes") else { return nil }
            return item(does.trimmingPeriod + (row.text("itMeans").map { ": " + $0.trimmingPeriod } ?? "") + "."
                        + (row.text("weShould").map { " What helps: " + $0.trimmingPeriod + "." } ?? ""))
        }
        let notWorking = [item(content("support-needs").text("whatDoesNotWork"))].compactMap { $0 }
        let people = content("who-is-important").entries("people").compactMap { e -> Item? in
            guard let id = e.text("circleMemberId"), let name = names[id] else { return nil }
            return item(name + (e.text("whatTheyMean").map { ": " + $0 } ?? ""))
        }
        let outcomes = content("outcomes").entries("outcomes").compactMap { e in item(e.text("outcome"), ownWords: e.bool("inOwnWords") == true) }
        let all = [
            Part(key: "admired", heading: child ? "What people like and admire about our child" : "What people like and admire about me", items: admired),
            Part(key: "important-to", heading: child ? "What is important to our family" : "What is important to me", items: importantTo),
            Part(key: "support", heading: "How to support me best", items: support),
            Part(key: "not-working", heading: "What does not work for me", items: notWorking),
            Part(key: "people", heading: child ? "People who are important to our child" : "People who are important to me", items: people),
            Part(key: "outcomes", heading: child ? "What we want to achieve" : "What I want to achieve", items: outcomes),
        ]
        return all.filter { !$0.items.isEmpty }
    }
}

extension String {
    fileprivate var trimmingPeriod: String { hasSuffix(".") ? String(dropLast()) : self }
}

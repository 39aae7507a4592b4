import Fluent
import Foundation
import LanternDomain
import SQLKit

/// Sums of each satisfaction survey's answers, so the dashboard's trend over a whole state is added up
/// by the database. Surveys already recorded get theirs from their answers.
struct AddSatisfactionSums: AsyncMigration {
    var name: String { "019 satisfaction survey sums" }

    func prepare(on db: any Database) async throws {
        // One column a statement: SQLite adds one at a time.
        for column in ["answer_count", "rating_sum", "happy_count"] {
            try await db.schema(SatisfactionSurvey.schema).field(.string(column), .int, .required, .sql(.default(0))).update()
        }
        // Surveys already there, every one, a page at a time in id order (the loop ends on an empty page).
        let pageSize = 1000
        var after: UUID?
        while true {
            var query = SatisfactionSurvey.query(on: db).sort(\.$id).limit(pageSize)
            if let after { query = query.filter(\.$id > after) }
            let page = try await query.all()
            guard let last = page.last else { break }
            try await db.transaction { tx in
                for survey in page {
                    let raw = (try? JSONDecoder().decode([String: Int].self, from: Data(survey.answers.utf8))) ?? [:]
                    try survey.setAnswers(raw)
                    try await survey.save(on: tx)
                }
            }
            after = last.id
        }
        try await db.createIndex("satisfaction_surveys_answered", on: SatisfactionSurvey.schema, "answered_on", "person_id")
    }

    func revert(on db: any Database) async throws {
        for column in ["happy_count", "rating_sum", "answer_count"] {
            try await db.schema(SatisfactionSurvey.schema).deleteField(.string(column)).update()
        }
    }
}

import Crypto
import Fluent
import Vapor

/// A plan version with everything its printed copy and its one-page profile show, read in one unit of
/// work: the whole record, the signatures, the copies given, and the previous signed version's
/// sections (for what is new).
struct PlanDocument: Sendable {
    let record: PlanRecord
    let signatures: [PlanSignature]
    let copies: [PlanDistribution]
    let reviewRequests: [ReviewRequest]
    /// The latest signed version before this one, when there is one.
    let base: Plan?
    let profile: PlanProfile
    /// Source text → its translation, for the language asked for.
    var translations: [String: String] = [:]
    var language: ProfileLanguage?
    /// Languages with at least one recorded translation, for this person.
    var languages: [ProfileLanguage] = []
    /// The words describing the person's profile photo, when they have one.
    var photoDescription: String?
    /// Whether the reader may choose the profile photo.
    var mayChoosePhoto = false

    func translated(_ text: String) -> (text: String, lang: String?) {
        if let language, let t = translations[text] { return (t, language.tag) }
        return (text, nil)
    }
}

/// A language a profile translation is recorded in: a BCP 47 tag ("es", "zh-Hant") and its name.
struct ProfileLanguage: Sendable, Hashable {
    let tag: String
    var name: String {
        let english = Locale(identifier: "en")
        return english.localizedString(forIdentifier: tag) ?? english.localizedString(forLanguageCode: tag) ?? tag
    }

    init?(_ text: String) {
        // Language, then optional script, region or variant subtags: letters and digits, 1-8 long.
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter }),
              parts.dropFirst().allSatisfy({ (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }),
              text.count <= 35
        else { return nil }
        tag = first.lowercased() + parts.dropFirst().map { "-" + $0 }.joined()
    }
}

extension PersonRecords {
    /// Reads a version for print (audited as a print) or for its profile (audited as a view). A signer
    /// asked to sign this version who opens it is marked as having seen it.
    func planDocument(_ planID: UUID, printing: Bool, language: ProfileLanguage? = nil,
                      permission: AccessPolicy.PersonAction = .view) async throws -> PlanDocument {
        let now = req.now
        return try await withPlan(planID, permission, action: printing ? .print : .view) { plan, person, db in
            let record = try await Self.load(plan, person, on: db)
            let signatures = try await PlanSignature.query(on: db).filter(\.$plan.$id == planID).sort(\.$createdAt).sort(\.$id).all()
            let copies = try await PlanDistribution.query(on: db).filter(\.$plan.$id == planID).sort(\.$sentOn).sort(\.$createdAt).all()
            let series = try await Plan.query(on: db).filter(\.$seriesID == plan.seriesID).all()
            let requests = try await ReviewRequest.query(on: db).filter(\.$plan.$id ~~ series.compactMap(\.id)).sort(\.$requestedOn, .descending).all()
            let base = Self.lastSigned(before: plan, in: series)
            var previous: [String: SectionContent]?
            if let base {
                let rows = try await PlanSection.query(on: db).filter(\.$plan.$id == base.requireID()).all()
                previous = Dictionary(rows.map { ($0.sectionKey, $0.content) }, uniquingKeysWith: { a, _ in a })
            }
            let names = Dictionary(record.circle.compactMap { m in m.id.map { ($0.text, m.name) } }, uniquingKeysWith: { a, _ in a })
            let profile = PlanProfile.build(plan.type, sections: record.sections.mapValues(\.content), names: names, previous: previous)
            var document = PlanDocument(record: record, signatures: signatures, copies: copies, reviewRequests: requests, base: base, profile: profile)
            let recorded = try await ProfileTranslation.query(on: db).filter(\.$personID == person.requireID()).all()
            document.languages = Set(recorded.compactMap { ProfileLanguage($0.language) }).sorted { $0.name < $1.name }
            if let language {
                document.language = language
                let wanted = Dictionary(profile.translatableTexts.map { (Self.sourceDigest($0), $0) }, uniquingKeysWith: { a, _ in a })
                for t in recorded where t.language == language.tag {
                    if let source = wanted[t.sourceDigest] { document.translations[source] = t.translatedText }
                }
            }
            document.photoDescription = try await ProfilePhoto.query(on: db).filter(\.$personID == person.requireID())
                .field(\.$id).field(\.$description).first()?.description
            document.mayChoosePhoto = policy.roleAllows(.choosePhoto)
            let seen = try await markViewed(signatures, of: plan, at: now, on: db)
            return (document, (printing ? "printed whole plan" : "read one-page profile" + (language.map { " in \($0.tag)" } ?? "")) + seen)
        }
    }

    static func sourceDigest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Records translations of profile texts for the person. `items` pairs a source text (exactly as the
    /// profile shows it) with its translation; an empty translation removes one. A text that is not on
    /// this version's profile is refused, so a translation always belongs to something the plan says.
    func saveTranslations(_ planID: UUID, language: ProfileLanguage, translatedBy: String?, items: [(source: String, text: String)]) async throws -> Int {
        let actor = self.actor
        if let by = translatedBy, by.count > 200 { throw Problem.invalid([FieldError("translatedBy", "Who translated must be at most 200 characters.")]) }
        for (i, item) in items.enumerated() where item.text.count > 4000 {
            throw Problem.invalid([FieldError("items.\(i).text", "A translation must be at most 4000 characters.")])
        }
        return try await withPlan(planID, .writePlan, action: .update) { plan, person, db in
            let record = try await Self.load(plan, person, on: db)
            let names = Dictionary(record.circle.compactMap { m in m.id.map { ($0.text, m.name) } }, uniquingKeysWith: { a, _ in a })
            let texts = Set(PlanProfile.build(plan.type, sections: record.sections.mapValues(\.content), names: names, previous: nil).translatableTexts)
            let unknown = items.enumerated().filter { !texts.contains($0.element.source) }
            if !unknown.isEmpty {
                throw Problem.invalid(unknown.map { FieldError("items.\($0.offset).source", "This text is not on the profile of this plan version. Copy it exactly as the profile shows it.") })
            }
            let personID = try person.requireID()
            let existing = try await ProfileTranslation.query(on: db).filter(\.$personID == personID).filter(\.$language == language.tag).all()
            var written = 0
            for item in items {
                let digest = Self.sourceDigest(item.source)
                let text = item.text.trimmingCharacters(in: .whitespacesAndNewlines)
                let row = existing.first { $0.sourceDigest == digest }
                if text.isEmpty {
                    if let row { try await row.delete(on: db); written += 1 }
                    continue
                }
                if let row, row.translatedText == text, row.translatedBy == translatedBy { continue }
                let translation = row ?? ProfileTranslation()
                if row == nil { translation.id = UUID(); translation.personID = personID; translation.language = language.tag; translation.sourceDigest = digest }
                translation.translatedText = text
                translation.translatedBy = translatedBy
                translation.recordedByID = actor.userID
                try await translation.save(on: db)
                written += 1
            }
            return (written, "recorded \(written) profile translations in \(language.tag)")
        }
    }
}

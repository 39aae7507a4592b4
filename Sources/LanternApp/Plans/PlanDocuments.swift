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
    /// The language's name in itself ("español"), for links a speaker of it looks for.
    var ownName: String {
        let own = Locale(identifier: tag)
        return own.localizedString(forIdentifier: tag) ?? own.localizedString(forLanguageCode: tag) ?? name
    }

    init?(_ text: String) {
        // Language, then optional script, region or variant subtags: letters and digits, 1-8 long.
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter }),
              parts.dropFirst().allSatisfy({ (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }),
              text.count <= 35
        else { return nil }
        // Canonical case (RFC 5646): language lower, script title ("Hant"), region upper ("MX").
        tag = ([first.lowercased()] + parts.dropFirst().map { part -> String in
            switch part.count {
            case 4 where part.allSatisfy(\.isLetter): return part.prefix(1).uppercased() + part.dropFirst().lowercased()
            case 2 where part.allSatisfy(\.isLetter): return part.uppercased()
            default: return part.lowercased()
            }
        }).joined(separator: "-")
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
                .field(\.$id).field(\.$altText).first()?.altText
            document.mayChoosePhoto = policy.roleAllows(.choosePhoto)
            let seen = try await markViewed(signatures, of: plan, at: now, on: db)
            return (document, (printing ? "printed whole plan" : "read one-page profile" + (language.map { " in \($0.tag)" } ?? "")) + seen)
        }
    }

    static func sourceDigest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).hex
    }

    /// One translation to record: the SHA-256 of the source text, the translation (empty removes
    /// it), and the field to name in an error.
    struct TranslationItem: Sendable {
        var sourceDigest: String
        var text: String
        var field: String
    }

    /// Records translations of profile texts for the person. A text that is not on this version's
    /// profile is refused, so a translation always belongs to something the plan says. The same text
    /// twice keeps the last.
    func saveTranslations(_ planID: UUID, language: ProfileLanguage, translatedBy: String?, items: [TranslationItem]) async throws -> Int {
        let actor = self.actor
        var r = FieldReader(["translatedBy": translatedBy.map(JSONValue.string) ?? .null], creating: true)
        let by = r.text("translatedBy", label: "Who translated", max: 200) ?? nil
        var errors = r.errors
        for item in items {
            var check = FieldReader(["text": .string(item.text)], creating: true)
            _ = check.text("text", label: "The translation", max: 4000)
            errors += check.errors.map { FieldError(item.field, $0.message) }
        }
        if !errors.isEmpty { throw Problem.invalid(errors) }
        var latest: [String: TranslationItem] = [:]
        for item in items { latest[item.sourceDigest] = item }
        let toWrite = latest.values.sorted { $0.sourceDigest < $1.sourceDigest }
        return try await withPlan(planID, .writePlan, action: .update) { plan, person, db in
            let record = try await Self.load(plan, person, on: db)
            let names = Dictionary(record.circle.compactMap { m in m.id.map { ($0.text, m.name) } }, uniquingKeysWith: { a, _ in a })
            let known = Set(PlanProfile.build(plan.type, sections: record.sections.mapValues(\.content), names: names, previous: nil)
                .translatableTexts.map(Self.sourceDigest))
            let unknown = items.filter { !known.contains($0.sourceDigest) }
            if !unknown.isEmpty {
                throw Problem.invalid(unknown.map { FieldError($0.field, "This text is not on the profile of this plan version. Copy it exactly as the profile shows it.") })
            }
            let personID = try person.requireID()
            let existing = try await ProfileTranslation.query(on: db).filter(\.$personID == personID).filter(\.$language == language.tag).all()
            var written = 0
            for item in toWrite {
                let text = item.text.trimmingCharacters(in: .whitespacesAndNewlines)
                let row = existing.first { $0.sourceDigest == item.sourceDigest }
                if text.isEmpty {
                    if let row { try await row.delete(on: db); written += 1 }
                    continue
                }
                if let row, row.translatedText == text, row.translatedBy == by { continue }
                let translation = row ?? ProfileTranslation()
                if row == nil { translation.id = UUID(); translation.personID = personID; translation.language = language.tag; translation.sourceDigest = item.sourceDigest }
                translation.translatedText = text
                translation.translatedBy = by
                translation.recordedByID = actor.userID
                try await translation.save(on: db)
                written += 1
            }
            return (written, "recorded \(written) profile translations in \(language.tag)")
        }
    }
}

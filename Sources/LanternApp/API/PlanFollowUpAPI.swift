import Vapor

/// The API for what happens around a plan once it is sent out: ending it, copies given, reviews asked
/// for, and the person's one-page profile with its translations.
enum PlanFollowUpAPI {
    static func register(_ api: any RoutesBuilder) {
        api.post("plans", ":planID", "end", use: end)
        api.get("plans", ":planID", "distributions", use: distributions)
        api.post("plans", ":planID", "distributions", use: recordDistribution)
        api.get("plans", ":planID", "review-requests", use: reviewRequests)
        api.post("plans", ":planID", "review-requests", use: requestReview)
        api.get("plans", ":planID", "profile", use: profile)
        api.put("plans", ":planID", "profile", "translations", ":language", use: saveTranslations)
    }

    static func planID(_ req: Request) throws -> UUID { try req.uuidParameter("planID", what: "plan") }

    static func end(req: Request) async throws -> JSONReply<PlansAPI.PlanDTO> {
        var r = FieldReader(try req.jsonObject(), creating: true)
        r.rejectUnknown(allowed: ["reason", "endedOn"])
        let reason = r.text("reason", label: "Why the plan ends", max: 1000)
        let endedOn = r.date("endedOn", label: "Date the plan ends")
        guard r.errors.isEmpty else { throw Problem.invalid(r.errors) }
        return PlansAPI.planReply(try await req.records().endPlan(try planID(req), reason: reason ?? nil, on: endedOn ?? nil))
    }

    struct DistributionDTO: Content {
        var id: String
        var planId: String
        var recipientName: String
        var recipientRole: String
        var method: String
        var sentOn: String
        var includesBudget: Bool
        var purpose: String?
        var recordedBy: String
        var createdAt: Date?

        init(_ d: PlanDistribution) {
            id = d.id!.text; planId = d.$plan.id.text; recipientName = d.recipientName; recipientRole = d.recipientRole; method = d.method
            sentOn = d.sentOn; includesBudget = d.includesBudget; purpose = d.purpose; recordedBy = d.recordedByID.text; createdAt = d.createdAt
        }
    }

    struct DistributionsDTO: Content {
        var items: [DistributionDTO]
        /// Who still needs a copy: the person and each representative asked to sign (with the budget),
        /// and everyone in the circle marked to receive the plan.
        var stillOwed: [OwedDTO]
    }
    struct OwedDTO: Content { var recipientName: String; var recipientRole: String; var withBudget: Bool }

    static func distributions(req: Request) async throws -> JSONReply<DistributionsDTO> {
        let (copies, owed) = try await req.records().copies(of: try planID(req))
        return JSONReply(value: DistributionsDTO(items: copies.map(DistributionDTO.init),
                                                 stillOwed: owed.map { OwedDTO(recipientName: $0.name, recipientRole: $0.role.rawValue, withBudget: $0.withBudget) }))
    }

    static func recordDistribution(req: Request) async throws -> JSONReply<DistributionDTO> {
        let copy = try await req.records().recordDistribution(try planID(req), try req.jsonObject())
        return JSONReply(value: DistributionDTO(copy), status: .created)
    }

    struct ReviewRequestDTO: Content {
        var id: String
        var planId: String
        var requestedBy: String
        var requestedByRole: String
        var requestedOn: String
        var reason: String?
        var dueOn: String
        var dueCitation: String
        var status: String
        var answeredByPlanId: String?
        var trigger: String
        /// The service the person asked to change, when the request is about one service.
        var aboutService: String?
        var createdAt: Date?

        init(_ r: ReviewRequest) {
            id = r.id!.text; planId = r.$plan.id.text; requestedBy = r.requestedBy; requestedByRole = r.requestedByRole
            requestedOn = r.requestedOn; reason = r.reason; dueOn = r.dueOn; dueCitation = r.dueCitation; status = r.status
            answeredByPlanId = r.answeredByPlanID?.text; trigger = r.trigger; aboutService = r.aboutService; createdAt = r.createdAt
        }
    }

    /// Every review request on any version of this plan, newest first.
    static func reviewRequests(req: Request) async throws -> JSONReply<ListReply<ReviewRequestDTO>> {
        let requests = try await req.records().reviewRequests(of: try planID(req))
        return JSONReply(value: ListReply(items: requests.map(ReviewRequestDTO.init), nextCursor: nil))
    }

    static func requestReview(req: Request) async throws -> JSONReply<ReviewRequestDTO> {
        let request = try await req.records().requestReview(try planID(req), try req.jsonObject())
        return JSONReply(value: ReviewRequestDTO(request), status: .created)
    }

    struct ProfileItemDTO: Content {
        var text: String
        /// The translation, when one is recorded for the language asked for.
        var translation: String?
        var isNew: Bool
        var ownWords: Bool
    }
    struct ProfilePartDTO: Content { var key: String; var heading: String; var headingTranslation: String?; var items: [ProfileItemDTO] }
    struct ProfileDTO: Content {
        var planId: String
        var versionNumber: Int
        var personName: String
        /// The signed version that "new" is measured from.
        var comparedWithVersion: Int?
        var language: String?
        var languages: [String]
        /// The profile's title ("About me") and the "New" mark, with their translations.
        var title: String
        var titleTranslation: String?
        var newLabelTranslation: String?
        var parts: [ProfilePartDTO]
    }

    /// `?lang=es` adds the recorded translations in that language.
    static func profile(req: Request) async throws -> JSONReply<ProfileDTO> {
        let language = try languageQuery(req)
        let d = try await req.records().planDocument(try planID(req), printing: false, language: language)
        let parts = d.profile.parts.map { part in
            ProfilePartDTO(key: part.key, heading: part.heading, headingTranslation: d.translations[part.heading],
                           items: part.items.map { ProfileItemDTO(text: $0.text, translation: d.translations[$0.text], isNew: $0.isNew, ownWords: $0.ownWords) })
        }
        return JSONReply(value: ProfileDTO(planId: d.record.plan.id!.text, versionNumber: d.record.plan.versionNumber, personName: d.record.person.displayName,
                                           comparedWithVersion: d.base?.versionNumber, language: language?.tag, languages: d.languages.map(\.tag),
                                           title: PlanProfile.title, titleTranslation: d.translations[PlanProfile.title],
                                           newLabelTranslation: d.translations[PlanProfile.newLabel], parts: parts))
    }

    static func languageQuery(_ req: Request) throws -> ProfileLanguage? {
        guard let text = req.query[String.self, at: "lang"], !text.isEmpty else { return nil }
        guard let language = ProfileLanguage(text) else {
            throw Problem.invalid([FieldError("lang", "lang must be a language tag such as es, vi or zh-Hant.")])
        }
        return language
    }

    struct SavedDTO: Content { var language: String; var written: Int }

    /// Body: `{"translatedBy": "...", "items": [{"source": "text as the profile shows it", "text": "translation"}]}`.
    static func saveTranslations(req: Request) async throws -> JSONReply<SavedDTO> {
        guard let language = ProfileLanguage(req.parameters.get("language") ?? "") else {
            throw Problem.invalid([FieldError("language", "The language must be a tag such as es, vi or zh-Hant.")])
        }
        let body = try req.jsonObject()
        var errors = body.keys.filter { !["translatedBy", "items"].contains($0) }.sorted()
            .map { FieldError($0, "\($0) is not a field here. Allowed fields: translatedBy, items.") }
        var translatedBy: String?
        switch body["translatedBy"] {
        case nil, .null?: break
        case let .string(s)?: translatedBy = s.isEmpty ? nil : s
        default: errors.append(FieldError("translatedBy", "Who translated must be text."))
        }
        var items: [PersonRecords.TranslationItem] = []
        guard case let .array(list)? = body["items"], list.count <= 500 else {
            throw Problem.invalid(errors + [FieldError("items", "items must be a list (at most 500) of {\"source\", \"text\"} pairs.")])
        }
        for (i, value) in list.enumerated() {
            guard case let .object(o) = value, case let .string(source)? = o["source"], case let .string(text)? = o["text"], o.count == 2 else {
                errors.append(FieldError("items.\(i)", "Each item has exactly a source text and its translation (text), both as text.")); continue
            }
            items.append(PersonRecords.TranslationItem(sourceDigest: PersonRecords.sourceDigest(source), text: text, field: "items.\(i).source"))
        }
        if !errors.isEmpty { throw Problem.invalid(errors) }
        let written = try await req.records().saveTranslations(try planID(req), language: language, translatedBy: translatedBy, items: items)
        return JSONReply(value: SavedDTO(language: language.tag, written: written))
    }
}

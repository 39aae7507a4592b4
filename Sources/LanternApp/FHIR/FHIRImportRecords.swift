import Fluent
import Foundation
import LanternDomain
import Vapor

extension PersonRecords {
    struct FHIRImportResult: Sendable {
        var person: Person
        var plan: Plan
        var report: FHIRImport.Report
    }

    /// Creates the person, their circle and a draft plan from an eLTSS Bundle, all in one transaction:
    /// a bundle that cannot be read changes nothing. Content a section refuses (a service code not in
    /// the catalogue, say) is left out and named in the report, not guessed.
    func importFHIR(_ body: [String: JSONValue], coordinatorID requested: UUID?) async throws -> FHIRImportResult {
        guard policy.mayCreatePeople else {
            throw Problem.forbidden("Your role (\(actor.role.label)) cannot add people. Ask a support coordinator.")
        }
        let (actor, today) = (self.actor, self.today)
        let coordinatorID: UUID? = actor.role == .supportCoordinator ? actor.userID : requested
        if actor.role == .supervisor && coordinatorID == nil {
            throw Problem.invalid([FieldError("coordinatorId", "Choose which of your coordinators will support this person: ?coordinatorId=<id>.")])
        }
        return try await unitOfWork { db, log in
            let providers = try await Self.providerOrganizations(on: db)
            var parsed = try FHIRImport.parse(body, providers: providers, today: today)

            // The person, with the same rules as adding one by hand.
            let person = Person()
            let errors = PersonFields.apply(parsed.person, to: person, creating: true, today: today)
            if !errors.isEmpty { throw Problem.invalid(errors.map { FieldError("Patient.\($0.field)", $0.message) }) }
            person.id = UUID()
            if let coordinatorID {
                let coordinator = try await Self.requireCoordinator(coordinatorID, field: "coordinatorId", on: db)
                if actor.role == .supervisor, coordinator.supervisorID != actor.userID {
                    throw Problem.invalid([FieldError("coordinatorId", "Choose one of the coordinators you supervise.")])
                }
                person.currentCoordinatorID = coordinatorID
            }
            try await person.create(on: db)
            if let coordinatorID {
                let assignment = CoordinatorAssignment()
                assignment.$person.id = person.id!; assignment.$coordinator.id = coordinatorID
                assignment.startsOn = today.description; assignment.reason = "Imported from a FHIR plan"; assignment.assignedByID = actor.userID
                try await assignment.create(on: db)
            }

            // The circle; a member the rules refuse is left out and reported.
            var members: [String: String] = [:]
            for (fhirID, input) in parsed.circle {
                let member = CircleMember()
                let problems = CircleFields.apply(input, to: member, creating: true)
                if !problems.isEmpty {
                    parsed.report.notMapped.append("RelatedPerson \(fhirID): " + problems.map(\.message).joined(separator: " "))
                    continue
                }
                member.id = UUID(); member.$person.id = person.id!
                try await member.create(on: db)
                members[fhirID] = member.id!.text
            }

            // The draft plan.
            let plan = Plan()
            plan.id = UUID(); plan.$person.id = person.id!; plan.status = PlanStatus.draft.rawValue; plan.seriesID = plan.id!
            plan.versionNumber = 1; plan.createdByID = actor.userID; plan.version = 1
            let planErrors = PlanFields.apply(parsed.plan, to: plan, creating: true, person: person, today: today)
            if !planErrors.isEmpty { throw Problem.invalid(planErrors.map { FieldError("CarePlan.\($0.field)", $0.message) }) }
            try await plan.create(on: db)

            // Sections, outcomes and needs first: services and steps point at them.
            let order = ["outcomes", "important-for"]
            let keys = parsed.sections.keys.sorted { (order.firstIndex(of: $0) ?? 9, $0) < (order.firstIndex(of: $1) ?? 9, $1) }
            var written: [String: SectionContent] = [:]
            let codes = Set(try await Catalogue.names(on: db).map(\.code))
            for key in keys {
                guard let spec = PlanSections.spec(key), spec.planTypes.contains(plan.type) else {
                    parsed.report.notMapped.append("\(key): a \(plan.type.shortLabel) has no such section"); continue
                }
                var content = Self.resolveCircle(parsed.sections[key]!, members: members)
                var references: [String: Set<String>] = [:]
                for (section, list) in [("outcomes", "outcomes"), ("important-for", "needs")] {
                    references[list] = Set((written[section] ?? [:]).entries(list).compactMap { $0.text("id") })
                }
                let context = SectionContext(circleMembers: Set(members.values), organizations: Set(providers.compactMap { $0.id?.text }), references: references, catalogue: codes)
                var normalized: SectionContent = [:]
                for _ in 0..<4 {
                    let (result, problems) = spec.normalize(content, context: context)
                    if problems.isEmpty { normalized = result; break }
                    // A missing required field takes its whole entry; later entries first, so indices hold.
                    let paths = problems.map { problem -> String in
                        parsed.report.notMapped.append("\(problem.field): \(problem.message) (left out)")
                        let parts = problem.field.split(separator: ".")
                        return problem.message.contains("is needed for each entry") && parts.count >= 3 ? parts.prefix(2).joined(separator: ".") : problem.field
                    }
                    for path in paths.sorted(by: { Self.index(of: $0) > Self.index(of: $1) }) { content = Self.removing(path, from: content) }
                }
                guard !normalized.isEmpty else { continue }
                let row = PlanSection()
                row.id = UUID(); row.$plan.id = plan.id!; row.sectionKey = key; row.version = 1; row.updatedByID = actor.userID
                row.content = normalized
                try await row.create(on: db)
                written[key] = normalized
            }
            log.add(event(.create, .demographics, person: person.id, detail: "imported from a FHIR bundle"))
            log.add(event(.create, .plan, person: person.id, detail: "plan \(plan.id!.text) imported from FHIR as a draft; \(parsed.report.notMapped.count) items not mapped"))
            return FHIRImportResult(person: person, plan: plan, report: parsed.report)
        }
    }

    /// Circle references read from the bundle, made into the new members' ids (or left out).
    static func resolveCircle(_ content: SectionContent, members: [String: String]) -> SectionContent {
        func walk(_ value: JSONValue) -> JSONValue? {
            switch value {
            case let .string(s) where s.hasPrefix(FHIRImport.circlePrefix):
                return members[String(s.dropFirst(FHIRImport.circlePrefix.count))].map(JSONValue.string)
            case let .object(o): return .object(o.compactMapValues(walk))
            case let .array(a): return .array(a.compactMap(walk))
            default: return value
            }
        }
        return content.compactMapValues(walk)
    }

    static func index(of path: String) -> Int { path.split(separator: ".").dropFirst().first.flatMap { Int($0) } ?? -1 }

    /// The content without the field a path names ("services.2.serviceCode"); a refused entry
    /// ("services.2") goes whole.
    static func removing(_ path: String, from content: SectionContent) -> SectionContent {
        let parts = path.split(separator: ".").map(String.init)
        var content = content
        guard let key = parts.first else { return content }
        if parts.count >= 2, let index = Int(parts[1]), case var .array(items)? = content[key], index < items.count {
            if parts.count >= 3, case var .object(entry) = items[index] {
                entry.removeValue(forKey: parts[2])
                items[index] = .object(entry)
            } else {
                items.remove(at: index)
            }
            content[key] = .array(items)
        } else {
            content.removeValue(forKey: key)
        }
        return content
    }
}

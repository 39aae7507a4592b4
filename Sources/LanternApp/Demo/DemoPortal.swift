import Fluent
import LanternDomain
import Vapor

/// The door for the person and family in the demo: the demo person and each of the demo guardian's
/// wards have a new version of their plan waiting for signatures, with something new in it; and a
/// family member without legal authority has an account that sees only what the person shared.
extension DemoData {
    static func demoPortal(today: CalendarDate, on db: any Database) async throws {
        guard let person1 = try await User.query(on: db).filter(\.$email == "person1@family.example").first(),
              let guardian1 = try await User.query(on: db).filter(\.$email == "guardian1@family.example").first() else { return }
        let organizations = try await Organization.query(on: db).all()
        var people: [UUID] = person1.personID.map { [$0] } ?? []
        people += try await CircleMember.query(on: db).filter(\.$userID == guardian1.id).sort(\.$name).all().map { $0.$person.id }
        let signedAt = today.adding(days: -2).date
        for personID in people {
            guard let person = try await Person.find(personID, on: db),
                  let plan = try await PersonRecords.planInEffect(for: personID, on: db) else { continue }
            let next = Plan()
            next.id = UUID(); next.$person.id = personID; next.planType = plan.planType; next.planKind = PlanKind.update.rawValue
            next.status = PlanStatus.draft.rawValue
            next.meetingDate = today.adding(days: -3).description; next.effectiveStart = plan.effectiveStart; next.effectiveEnd = plan.effectiveEnd
            next.implementationDate = plan.implementationDate; next.nextReviewDate = plan.nextReviewDate; next.planningLanguage = plan.planningLanguage
            next.seriesID = plan.seriesID; next.versionNumber = plan.versionNumber + 1; next.previousPlanID = plan.id
            next.changeReason = "\(person.preferredName ?? person.legalGivenName) asked to add what matters to them now."
            next.createdByID = person.currentCoordinatorID ?? plan.createdByID; next.version = 1
            try await next.create(on: db)
            var rows: [String: PlanSection] = [:]
            for row in try await PlanSection.query(on: db).filter(\.$plan.$id == plan.requireID()).all() {
                let copy = PlanSection()
                copy.id = UUID(); copy.$plan.id = next.id!; copy.sectionKey = row.sectionKey; copy.contentJSON = row.contentJSON
                if row.sectionKey == "important-to" {
                    var statements = row.content.entries("statements")
                    statements.append(["statement": "Going to the county fair with my cousin in August.", "inOwnWords": true])
                    copy.content["statements"] = .array(statements.map(JSONValue.object))
                }
                copy.version = 1; copy.updatedByID = next.createdByID
                try await copy.create(on: db)
                rows[copy.sectionKey] = copy
            }
            let circle = try await CircleMember.query(on: db).filter(\.$person.$id == personID).all()
            let record = PlanRecord(plan: next, person: person, sections: rows, circle: circle, organizations: organizations)
            // The coordinator and the providers signed at the meeting; the person and the guardian sign in Lantern.
            for request in try await PlanLifecycle.freeze(record, at: signedAt, on: db)
            where ![.person, .guardian, .parent].contains(request.signerRole) {
                request.status = SignatureStatus.signed.rawValue
                request.method = (request.signerRole == .provider ? SignatureMethod.paperScanned : .inPerson).rawValue
                request.signedAt = signedAt; request.digest = next.contentDigest; request.recordedByID = next.createdByID
                try await request.save(on: db)
            }
        }

        // A family member of the demo person with their own account, who sees the plan and the goals only.
        guard let personID = person1.personID,
              let cousin = try await CircleMember.query(on: db).filter(\.$person.$id == personID)
                .filter(\.$relationship == Relationship.family.rawValue).filter(\.$hasLegalAuthority == false).first() else { return }
        let family = User(email: "family1@family.example", displayName: cousin.name, role: .guardianFamily, organizationID: nil, supervisorID: nil,
                          passwordHash: person1.passwordHash)
        family.id = UUID(); family.language = PortalLanguage(rawValue: "es")?.rawValue
        try await family.create(on: db)
        cousin.userID = family.id
        cousin.sharedAreas = [.plan, .outcomes]
        try await cousin.save(on: db)
    }
}

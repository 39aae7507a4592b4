import Fluent
import Vapor
import XCTest
@testable import LanternApp

/// The service catalogue, a plan's budget, authorizations made when a plan takes effect, units
/// delivered against them with their alerts, what each provider sees, and the waiting list.
final class ServicesTests: XCTestCase {
    typealias IDs = ExamplePlan.IDs

    static func addService(_ w: TestWorld, code: String = "T2015", rate: Double = 5, extra: [String: Any] = [:]) async throws {
        var body: [String: Any] = ["code": code, "name": "Community integration", "unit": "15_minutes", "fundingSources": ["medicaid_waiver"],
                                   "rate": rate, "rateFrom": "2026-01-01", "maxPerDay": 32]
        for (k, v) in extra { body[k] = v }
        let reply = try await w.api(.POST, "/api/v1/catalogue", as: "admin", json: body)
        XCTAssertEqual(reply.status, .created, reply.body)
    }

    func testAdministratorsKeepTheCatalogueAndRatesAreAddedInTimeOrder() async throws {
        try await onEveryEngine { w in
            let body: [String: Any] = ["code": "t2015", "name": "Community integration", "unit": "15_minutes", "fundingSources": ["medicaid_waiver"],
                                       "rate": 6.84, "rateFrom": "2026-01-01", "maxPerDay": 32, "equivalenceGroup": "Day"]
            let staff = try await w.api(.POST, "/api/v1/catalogue", as: "staff", json: body)
            XCTAssertEqual(staff.status, .forbidden)
            let coordinator = try await w.api(.POST, "/api/v1/catalogue", as: "coordinator", json: body)
            XCTAssertEqual(coordinator.status, .forbidden)
            let incomplete = try await w.api(.POST, "/api/v1/catalogue", as: "admin", json: ["code": "T 20", "unit": "fortnight", "maxPerDay": -1])
            XCTAssertEqual(incomplete.status, .unprocessableEntity)
            XCTAssertEqual(Set(incomplete.fieldErrors), ["code", "name", "unit", "fundingSources", "maxPerDay", "rate", "rateFrom"], incomplete.body)

            let added = try await w.api(.POST, "/api/v1/catalogue", as: "admin", json: body)
            XCTAssertEqual(added.status, .created, added.body)
            XCTAssertEqual(added.object["code"] as? String, "T2015", "codes are kept upper case")
            XCTAssertEqual(added.object["equivalenceGroup"] as? String, "day")
            try await expectEqual(try await w.lastAudit()?.category, AuditCategory.catalogue.rawValue)
            let again = try await w.api(.POST, "/api/v1/catalogue", as: "admin", json: body)
            XCTAssertEqual(again.fieldErrors, ["code"])

            // A new rate starts after the latest; the one before ends the day before it.
            let early = try await w.api(.POST, "/api/v1/catalogue/T2015/rates", as: "admin", json: ["perUnit": 7, "from": "2026-01-01"])
            XCTAssertEqual(early.fieldErrors, ["from"])
            let rate = try await w.api(.POST, "/api/v1/catalogue/t2015/rates", as: "admin", json: ["perUnit": 7.1, "from": "2027-07-01"])
            XCTAssertEqual(rate.status, .created, rate.body)
            let rates = (rate.object["rates"] as? [[String: Any]]) ?? []
            XCTAssertEqual(rates.compactMap { $0["from"] as? String }, ["2026-01-01", "2027-07-01"])
            XCTAssertEqual(rates.first?["to"] as? String, "2027-06-30")
            XCTAssertEqual(rates.last?["perUnit"] as? Double, 7.1)

            let unversioned = try await w.api(.PATCH, "/api/v1/catalogue/T2015", as: "admin", json: ["maxPerWeek": 100])
            XCTAssertEqual(unversioned.status, .preconditionRequired)
            let stale = try await w.api(.PATCH, "/api/v1/catalogue/T2015", as: "admin", json: ["maxPerWeek": 100], headers: ["If-Match": "\"1\""])
            XCTAssertEqual(stale.status, .preconditionFailed, "adding the rate made it version 2")
            let changed = try await w.api(.PATCH, "/api/v1/catalogue/T2015", as: "admin", json: ["maxPerWeek": 100, "maxPerDay": NSNull()], headers: ["If-Match": "\"2\""])
            XCTAssertEqual(changed.status, .ok, changed.body)
            XCTAssertEqual(changed.object["maxPerWeek"] as? Double, 100)
            XCTAssertNil(changed.object["maxPerDay"] as? Double)
            let listed = try await w.api(.GET, "/api/v1/catalogue", as: "staff")
            XCTAssertEqual(((listed.object["items"] as? [[String: Any]]) ?? []).compactMap { $0["code"] as? String }, ["T2015"])

            // The same from the service's page: a rate after the latest, limits with the version read.
            let page = try await w.web(.GET, "/catalogue/t2015", as: "admin")
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.body.contains("Rates over time") && page.body.contains("Add a rate"))
            let coordinatorPage = try await w.web(.GET, "/catalogue/T2015", as: "coordinator")
            XCTAssertFalse(coordinatorPage.body.contains("Add a rate"), "only administrators change the catalogue")
            let tooEarly = try await w.web(.POST, "/catalogue/T2015/rates", as: "admin", form: [("perUnit", "7.5"), ("from", "2027-01-01")])
            XCTAssertEqual(tooEarly.status, .unprocessableEntity)
            XCTAssertTrue(tooEarly.body.contains("A new rate must start after the latest one (2027-07-01)"))
            let later = try await w.web(.POST, "/catalogue/T2015/rates", as: "admin", form: [("perUnit", "7.5"), ("from", "2028-01-01")])
            XCTAssertEqual(later.status, .seeOther, later.body)
            let stalePage = try await w.web(.POST, "/catalogue/T2015", as: "admin", form: [("version", "3"), ("maxPerDay", "40"), ("maxPerWeek", ""), ("maxPerYear", ""), ("equivalenceGroup", "day")])
            XCTAssertEqual(stalePage.status, .conflict, "the new rate made it version 4")
            let limits = try await w.web(.POST, "/catalogue/T2015", as: "admin", form: [("version", "4"), ("maxPerDay", "40"), ("maxPerWeek", ""), ("maxPerYear", ""), ("equivalenceGroup", "day")])
            XCTAssertEqual(limits.status, .seeOther, limits.body)
            let afterForms = try await w.api(.GET, "/api/v1/catalogue/T2015", as: "admin")
            XCTAssertEqual(afterForms.object["maxPerDay"] as? Double, 40)
            XCTAssertNil(afterForms.object["maxPerWeek"] as? Double, "a blank limit is no limit")
            XCTAssertEqual(((afterForms.object["rates"] as? [[String: Any]]) ?? []).compactMap { $0["from"] as? String }, ["2026-01-01", "2027-07-01", "2028-01-01"])
            try await expectEqual(try await w.web(.POST, "/catalogue/T2015/rates", as: "coordinator", form: [("perUnit", "9"), ("from", "2029-01-01")]).status, .forbidden)

            let unknown = try await w.api(.PUT, "/api/v1/providers/\(w.providerA.text)/services", as: "admin", json: ["codes": ["T2015", "X999"]])
            XCTAssertEqual(unknown.fieldErrors, ["codes"])
            let approved = try await w.api(.PUT, "/api/v1/providers/\(w.providerA.text)/services", as: "admin", json: ["codes": ["t2015"]])
            XCTAssertEqual(approved.status, .ok, approved.body)
            XCTAssertEqual(approved.object["approvedServices"] as? [String], ["T2015"])
            let providers = try await w.api(.GET, "/api/v1/providers", as: "coordinator")
            let a = ((providers.object["items"] as? [[String: Any]]) ?? []).first { $0["id"] as? String == w.providerA.text }
            XCTAssertEqual(a?["approvedServices"] as? [String], ["T2015"])
        }
    }

    /// The services of the example Missouri ISP rewritten from the catalogue: 2 units a week of
    /// community integration from provider A, the same from provider B on another outcome (a
    /// duplicate), and respite nobody can give yet.
    static func services(_ w: TestWorld, duplicate: Bool) -> [String: Any] {
        var list: [[String: Any]] = [
            ["service": "Outings", "funding": "paid", "serviceCode": "T2015", "providerId": w.providerA.text, "outcomeId": IDs.secondOutcome,
             "units": 2, "interval": "week", "days": ["sat"], "fundingSource": "medicaid_waiver", "startDate": "2026-11-16"],
            ["service": "Respite", "funding": "paid", "serviceCode": "T2015", "needId": IDs.firstNeed, "units": 8, "interval": "month",
             "fundingSource": "medicaid_waiver", "waiting": true, "waitingSince": "2026-08-01"],
            ["service": "Rides to church", "funding": "unpaid", "provider": "Sister", "days": "sun", "fromTime": "09:00", "untilTime": "12:00"],
        ]
        if duplicate {
            list.append(["service": "Saturday club", "funding": "paid", "serviceCode": "T2015", "providerId": w.providerB.text, "outcomeId": IDs.firstOutcome,
                         "units": 1, "interval": "week", "fundingSource": "medicaid_waiver", "startDate": "2027-11-15"])
        }
        return ["services": list]
    }

    func testAPlanInEffectAuthorizesItsServicesAndProvidersRecordWhatTheyDeliver() async throws {
        try await onEveryEngine { w in
            try await Self.addService(w)
            let own = w.own.text
            let planID = try await PlanAPITests.startPlan(w, .missouriISP, for: w.own)
            try await PlanAPITests.writeExample(w, plan: planID, type: .missouriISP, circle: [w.ownMember.text], guardian: w.ownMember.text, provider: w.providerA.text)
            let write = try await w.api(.PUT, "/api/v1/plans/\(planID)/sections/services", as: "coordinator", json: Self.services(w, duplicate: true), headers: ["If-Match": "\"1\""])
            XCTAssertEqual(write.status, .ok, write.body)

            // Overlapping by the plan's last day, from two providers: a duplicate, and the plan cannot be sent.
            let findings = try await w.api(.GET, "/api/v1/plans/\(planID)/findings", as: "coordinator")
            let duplicate = ((findings.object["findings"] as? [[String: Any]]) ?? []).first { $0["ruleId"] as? String == "hcbs.service-duplicate" }
            XCTAssertEqual(duplicate?["field"] as? String, "services.3.serviceCode", findings.body)
            XCTAssertEqual(duplicate?["citation"] as? String, "42 CFR 441.301(c)(2)(xii)")
            XCTAssertTrue((duplicate?["message"] as? String ?? "").contains("from 2027-11-15 to 2027-11-15"), findings.body)
            let refused = try await w.api(.POST, "/api/v1/plans/\(planID)/submit", as: "coordinator")
            XCTAssertEqual(refused.status, .conflict)
            // Once approvals are recorded, a provider must be approved for the service it is chosen for.
            let approvals = try await w.api(.PUT, "/api/v1/providers/\(w.providerA.text)/services", as: "admin", json: ["codes": ["T2015"]])
            XCTAssertEqual(approvals.status, .ok, approvals.body)
            let unapproved = try await w.api(.GET, "/api/v1/plans/\(planID)/findings", as: "coordinator")
            let notApproved = ((unapproved.object["findings"] as? [[String: Any]]) ?? []).filter { $0["ruleId"] as? String == "hcbs.service-provider-approved" }
            XCTAssertEqual(notApproved.compactMap { $0["field"] as? String }, ["services.3.providerId"], unapproved.body)
            XCTAssertTrue((notApproved.first?["message"] as? String ?? "").hasPrefix("Provider B is not approved to give Community integration (T2015)"))
            let fixed = try await w.api(.PUT, "/api/v1/plans/\(planID)/sections/services", as: "coordinator", json: Self.services(w, duplicate: false), headers: ["If-Match": "\"2\""])
            XCTAssertEqual(fixed.status, .ok, fixed.body)

            // The budget: 2 units a week over 365 days at $5, each month rounded to the cent.
            let budget = try await w.api(.GET, "/api/v1/plans/\(planID)/budget", as: "person")
            XCTAssertEqual(budget.status, .ok, "the person reads their own budget: \(budget.body)")
            let lines = (budget.object["lines"] as? [[String: Any]]) ?? []
            XCTAssertEqual(lines.compactMap { $0["service"] as? String }, ["Outings"], "the waiting respite is not costed")
            XCTAssertEqual(lines.first?["authorizedUnits"] as? Int, 105, "2 × 365 / 7 = 104.29, rounded up")
            // Nov 21.43 + Dec 44.29 + Jan 44.29 + Feb 40.00 + Mar 44.29 + Apr 42.86 + May 44.29 + Jun 42.86 + Jul 44.29 + Aug 44.29 + Sep 42.86 + Oct 44.29 + Nov 21.43
            XCTAssertEqual(budget.object["total"] as? Double, 521.47)
            XCTAssertEqual(((budget.object["byMonth"] as? [[String: Any]]) ?? []).count, 13)
            XCTAssertEqual(((budget.object["unpaid"] as? [[String: Any]]) ?? []).compactMap { $0["service"] as? String }, ["Rides to church"])
            let page = try await w.web(.GET, "/plans/\(planID)/budget", as: "guardian")
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.body.contains("$521.47"), "the guardian's budget page shows the total")

            try await PlanLifecycleTests.sentPlanSigned(w, planID)

            // Taking effect made one authorization, for provider A, and put respite on the waiting list.
            let mine = try await w.api(.GET, "/api/v1/authorizations", as: "staff")
            let items = (mine.object["items"] as? [[String: Any]]) ?? []
            XCTAssertEqual(items.count, 1, mine.body)
            let authorization = items.first ?? [:]
            XCTAssertEqual(authorization["units"] as? Int, 105)
            XCTAssertEqual(authorization["plannedCost"] as? Double, 521.47)
            XCTAssertEqual(authorization["startsOn"] as? String, "2026-11-16")
            XCTAssertEqual(authorization["endsOn"] as? String, "2027-11-15")
            let id = authorization["id"] as? String ?? ""
            let waiting = try await w.api(.GET, "/api/v1/waiting-list", as: "coordinator")
            XCTAssertEqual(((waiting.object["items"] as? [[String: Any]]) ?? []).compactMap { $0["service"] as? String }, ["Respite"])
            XCTAssertEqual(((waiting.object["items"] as? [[String: Any]]) ?? []).first?["daysWaiting"] as? Int, 109, "2026-08-01 to 2026-11-18")
            try await expectEqual(try await w.api(.GET, "/api/v1/waiting-list", as: "staff").status, .forbidden)

            // Recording: checked, then the alerts at 90% (94.5 of 105 units) and past 100%.
            let path = "/api/v1/authorizations/\(id)/deliveries"
            for (body, field) in [(["deliveredOn": "2026-11-19", "units": 4] as [String: Any], "deliveredOn"), (["deliveredOn": "2026-11-15", "units": 4], "deliveredOn"),
                                  (["deliveredOn": "2026-11-17", "units": 0], "units"), (["deliveredOn": "2026-11-17", "units": "four"], "units"),
                                  (["deliveredOn": "2026-11-17", "units": 4, "by": "me"], "by")] {
                let refused = try await w.api(.POST, path, as: "staff", json: body)
                XCTAssertEqual(refused.status, .unprocessableEntity, "\(body): \(refused.body)")
                XCTAssertEqual(refused.fieldErrors, [field], "\(body)")
            }
            func deliver(_ units: Double, externalID: String? = nil) async throws -> TestWorld.Reply {
                var body: [String: Any] = ["deliveredOn": "2026-11-17", "units": units]
                if let externalID { body["externalId"] = externalID }
                return try await w.api(.POST, path, as: "staff", json: body)
            }
            var reply = try await deliver(94, externalID: "visit-1")
            XCTAssertEqual(reply.status, .created, reply.body)
            XCTAssertNil((reply.object["authorization"] as? [String: Any])?["alert"] as? String)
            try await expectEqual(try await w.lastAudit()?.category, AuditCategory.services.rawValue)
            try await expectEqual(try await deliver(1, externalID: "visit-1").status, .conflict, "a retry is not recorded twice")
            reply = try await deliver(0.5)
            XCTAssertEqual((reply.object["authorization"] as? [String: Any])?["alert"] as? String, "nearly_used")
            reply = try await deliver(10.5)
            XCTAssertEqual((reply.object["authorization"] as? [String: Any])?["alert"] as? String, "nearly_used", "exactly all the units is not over")
            reply = try await deliver(0.25)
            XCTAssertEqual((reply.object["authorization"] as? [String: Any])?["alert"] as? String, "over_authorized")
            XCTAssertEqual((reply.object["authorization"] as? [String: Any])?["delivered"] as? Double, 105.25)

            // The budget sets what was delivered against what was planned: 105.25 units at $5.
            let spent = try await w.api(.GET, "/api/v1/plans/\(planID)/budget", as: "coordinator")
            XCTAssertEqual(((spent.object["lines"] as? [[String: Any]]) ?? []).first?["deliveredUnits"] as? Double, 105.25)
            XCTAssertEqual(spent.object["spent"] as? Double, 526.25)

            // Withdrawing the last entry takes it out of the count.
            let last = (reply.object["delivery"] as? [String: Any])?["id"] as? String ?? ""
            let withdrawn = try await w.api(.POST, "/api/v1/service-deliveries/\(last)/withdraw", as: "staff", json: ["reason": "Typed twice"])
            XCTAssertEqual(withdrawn.status, .ok, withdrawn.body)
            let detail = try await w.api(.GET, "/api/v1/authorizations/\(id)", as: "coordinator")
            XCTAssertEqual((detail.object["authorization"] as? [String: Any])?["delivered"] as? Double, 105)
            XCTAssertEqual(((detail.object["deliveries"] as? [[String: Any]]) ?? []).count, 4)

            // Who else may see or record: the person reads their authorizations but does not record.
            try await expectEqual(try await w.api(.GET, "/api/v1/people/\(own)/authorizations", as: "person").status, .ok)
            try await expectEqual(try await w.api(.POST, path, as: "person", json: ["deliveredOn": "2026-11-17", "units": 1]).status, .forbidden)
            try await expectEqual(try await w.api(.GET, "/api/v1/authorizations/\(id)", as: "coordinator2").status, .notFound)
            let alerts = try await w.api(.GET, "/api/v1/authorizations?alerts=true", as: "coordinator")
            XCTAssertEqual(((alerts.object["items"] as? [[String: Any]]) ?? []).count, 1)
            let providerPage = try await w.web(.GET, "/authorizations/\(id)", as: "staff")
            XCTAssertEqual(providerPage.status, .ok)
            XCTAssertTrue(providerPage.body.contains("Record units delivered"))
            let personPage = try await w.web(.GET, "/people/\(own)/authorizations", as: "guardian")
            XCTAssertEqual(personPage.status, .ok)
            XCTAssertTrue(personPage.body.contains("Outings (T2015)"))
            try await expectEqual(try await w.web(.GET, "/people/\(w.other.text)/authorizations", as: "guardian").status, .notFound)
        }
    }

    func testAProviderSeesOnlyItsOwnAuthorizations() async throws {
        try await onEveryEngine { w in
            try await Self.addService(w)
            let planID = try await PlanAPITests.startPlan(w, .missouriISP, for: w.own)
            try await PlanAPITests.writeExample(w, plan: planID, type: .missouriISP, circle: [w.ownMember.text], guardian: w.ownMember.text, provider: w.providerA.text)
            var services = Self.services(w, duplicate: false)
            var list = services["services"] as! [[String: Any]]
            list.append(["service": "Evening help", "funding": "paid", "serviceCode": "T2015", "providerId": w.providerB.text, "outcomeId": IDs.firstOutcome,
                         "units": 2, "interval": "week", "days": "mon", "fundingSource": "medicaid_waiver", "startDate": "2026-11-16", "endDate": "2027-02-28"])
            list[0]["providerId"] = w.providerA.text
            list[0]["endDate"] = "2027-03-01"
            list[3]["startDate"] = "2027-03-02"
            list[3]["endDate"] = nil
            services["services"] = list
            // The two run one after the other, so they are not a duplicate.
            let write = try await w.api(.PUT, "/api/v1/plans/\(planID)/sections/services", as: "coordinator", json: services, headers: ["If-Match": "\"1\""])
            XCTAssertEqual(write.status, .ok, write.body)
            try await PlanLifecycleTests.sentPlanSigned(w, planID)

            let all = try await w.api(.GET, "/api/v1/people/\(w.own.text)/authorizations", as: "coordinator")
            let items = (all.object["items"] as? [[String: Any]]) ?? []
            XCTAssertEqual(Set(items.compactMap { $0["provider"] as? String }), ["Provider A", "Provider B"], all.body)
            let bID = items.first { $0["provider"] as? String == "Provider B" }?["id"] as? String ?? ""
            let staffList = try await w.api(.GET, "/api/v1/people/\(w.own.text)/authorizations", as: "staff")
            XCTAssertEqual(((staffList.object["items"] as? [[String: Any]]) ?? []).compactMap { $0["provider"] as? String }, ["Provider A"])
            try await expectEqual(try await w.api(.GET, "/api/v1/authorizations/\(bID)", as: "staff").status, .notFound)
            try await expectEqual(try await w.api(.POST, "/api/v1/authorizations/\(bID)/deliveries", as: "staff", json: ["deliveredOn": "2026-11-17", "units": 1]).status, .notFound)
            try await expectEqual(try await w.web(.GET, "/authorizations/\(bID)", as: "staff").status, .notFound)
            // Provider B, named in the plan, now serves the person.
            let links = try await ProviderLink.query(on: w.app.db).filter(\.$person.$id == w.own).all()
            XCTAssertEqual(Set(links.map { $0.$organization.id }), [w.providerA, w.providerB])

            // Ending the plan ends its authorizations: nothing is delivered under them after that day.
            let ended = try await w.api(.POST, "/api/v1/plans/\(planID)/end", as: "coordinator", json: ["reason": "Moved out of state"])
            XCTAssertEqual(ended.status, .ok, ended.body)
            let after = try await w.api(.GET, "/api/v1/people/\(w.own.text)/authorizations", as: "coordinator")
            XCTAssertEqual(((after.object["items"] as? [[String: Any]]) ?? []).compactMap { $0["status"] as? String }, ["ended", "ended"])
            XCTAssertEqual(((after.object["items"] as? [[String: Any]]) ?? []).compactMap { $0["endedOn"] as? String }, ["2026-11-18", "2026-11-18"])
        }
    }
}

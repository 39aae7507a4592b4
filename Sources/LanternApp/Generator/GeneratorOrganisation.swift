import Fluent
import Foundation
import LanternDomain
import SQLKit

extension StatewideGenerator {
    /// The statewide structure every person is placed in: regions, agencies, supervisors, coordinators,
    /// providers with staff and approvals, and the catalogue. Written once, read by every batch.
    final class Organisation: @unchecked Sendable {
        let seed: UInt64
        let today: CalendarDate
        let total: Int
        let admin: User
        let regionCount: Int
        /// Each region's provider pairs: a provider approved for the services the demo's Maple Street
        /// gives, and one approved for Bright Path's.
        let pairs: [[(Organization, Organization)]]
        let providers: [Organization]
        let coordinatorsByRegion: [[User]]
        let organizationOf: [UUID: Organization]
        let staff: [UUID: [User]]
        let catalogue: ServiceCatalogue
        let engine: RuleEngine
        let accounts: [Report.Account]

        init(seed: UInt64, today: CalendarDate, total: Int, admin: User, regionCount: Int, pairs: [[(Organization, Organization)]],
             providers: [Organization], coordinatorsByRegion: [[User]], organizationOf: [UUID: Organization], staff: [UUID: [User]],
             catalogue: ServiceCatalogue, engine: RuleEngine, accounts: [Report.Account]) {
            self.seed = seed; self.today = today; self.total = total; self.admin = admin; self.regionCount = regionCount; self.pairs = pairs
            self.providers = providers; self.coordinatorsByRegion = coordinatorsByRegion; self.organizationOf = organizationOf; self.staff = staff
            self.catalogue = catalogue; self.engine = engine; self.accounts = accounts
        }

        static let regionNames = ["Northwest", "North Central", "Northeast", "Kansas City", "Central", "St. Louis", "Southwest", "South Central",
                                  "Southeast", "Bootheel", "Ozark", "Lake Country"]
        static let providerWords = ["Maple", "Bright", "Cedar", "Harbor", "Meadow", "Prairie", "Summit", "Willow", "Lakeside", "Oak Hill", "Riverstone", "Sunrise"]
        static let providerKinds = ["Supports", "Community Services", "Living", "Family Services"]

        static func make(people total: Int, seed: UInt64, today: CalendarDate, passwordHash: String, on db: any Database) async throws -> Organisation {
            var rng = GeneratorRandom(seed: seed, stream: UInt64.max)
            let stamp = today.date
            let regionCount = max(1, min(regionNames.count, total / 2_500))
            let pairsPerRegion = max(1, total / (regionCount * 800))
            var organizations: [Organization] = []
            func org(_ name: String, _ kind: OrganizationKind) -> Organization {
                let o = Organization(id: rng.uuid(), name: name, kind: kind)
                o.createdAt = stamp
                organizations.append(o)
                return o
            }
            let agencies = (0..<regionCount).map { org("\(regionNames[$0]) Regional Coordination Services", .coordinatingAgency) }
            var pairs: [[(Organization, Organization)]] = Array(repeating: [], count: regionCount)
            var providers: [Organization] = []
            for k in 0..<(pairsPerRegion * regionCount) {
                let region = k % regionCount
                let made = (0...1).map { t -> Organization in
                    let p = 2 * k + t
                    let suffix = p / 48 > 0 ? " \(p / 48 + 1)" : ""
                    return org("\(providerWords[p % 12]) \(providerKinds[(p / 12) % 4])\(suffix) (\(regionNames[region]))", .provider)
                }
                pairs[region].append((made[0], made[1]))
                providers += made
            }
            try await BulkInsert.insert(organizations, on: db)

            var users: [User] = []
            func name() -> String { "\(rng.pick(DemoData.givenNames)) \(rng.pick(DemoData.familyNames))" }
            func user(_ email: String, _ displayName: String, _ role: Role, org: Organization?, supervisor: User? = nil) -> User {
                let u = User(id: rng.uuid(), email: email, displayName: displayName, role: role, organizationID: org?.id, supervisorID: supervisor?.id,
                             passwordHash: passwordHash)
                u.createdAt = stamp
                users.append(u)
                return u
            }
            let admin = user("admin@\(domain)", "Statewide Administrator", .administrator, org: agencies[0])
            let coordinatorCount = max(2, Int((Double(total) * 0.94 / 25).rounded()))
            let supervisorCount = max(regionCount, (coordinatorCount + 7) / 8)
            let supervisors = (0..<supervisorCount).map { s in
                user("supervisor\(s + 1)@\(domain)", name(), .supervisor, org: agencies[s % regionCount])
            }
            var coordinatorsByRegion: [[User]] = Array(repeating: [], count: regionCount)
            var organizationOf: [UUID: Organization] = [:]
            for c in 0..<coordinatorCount {
                let supervisor = supervisors[c % supervisorCount]
                let region = (c % supervisorCount) % regionCount
                // A few coordinators work for a provider (an area with no independent agency): conflicts of interest.
                let employer = c % 25 == 9 ? pairs[region][c % pairs[region].count].0 : agencies[region]
                let u = user("coordinator\(c + 1)@\(domain)", name(), .supportCoordinator, org: employer, supervisor: supervisor)
                // Some have a lower limit (a rural caseload with long travel): over it at an ordinary caseload.
                if c % 10 == 3 { u.caseloadLimit = 20 }
                coordinatorsByRegion[region].append(u)
                organizationOf[u.id!] = employer
            }
            var staff: [UUID: [User]] = [:]
            for (p, provider) in providers.enumerated() {
                staff[provider.id!] = (1...3).map { k in user("staff\(k)@provider\(p + 1).\(domain)", name(), .providerStaff, org: provider) }
            }
            try await BulkInsert.insert(users, on: db)

            // The catalogue as the demo builds it, for the first pair; every other provider is approved
            // for what its counterpart in that pair is.
            try await DemoData.buildCatalogue(maple: pairs[0][0].0, bright: pairs[0][0].1, today: today, on: db, newID: { rng.uuid() })
            let approvals = try await ProviderApproval.query(on: db).sort(\.$id).all()
            var more: [ProviderApproval] = []
            for region in pairs {
                for (a, b) in region where a.id != pairs[0][0].0.id {
                    for (model, org) in [(pairs[0][0].0, a), (pairs[0][0].1, b)] {
                        for approval in approvals where approval.$organization.id == model.id {
                            let copy = ProviderApproval()
                            copy.id = rng.uuid(); copy.$organization.id = org.id!; copy.$service.id = approval.$service.id
                            copy.approvedOn = approval.approvedOn; copy.createdAt = stamp
                            more.append(copy)
                        }
                    }
                }
            }
            try await BulkInsert.insert(more, on: db)
            let codes = try await CatalogueEntry.query(on: db).all().map(\.code)
            let every: SectionContent = ["services": .array(codes.map { .object(["serviceCode": .string($0)]) })]
            let catalogue = try await Catalogue.forPlans([every], on: db)[0]

            let firstCoordinator = coordinatorsByRegion[0][0]
            let accounts = [
                Report.Account(email: admin.email, role: .administrator, note: "sees everyone and the audit trail"),
                Report.Account(email: supervisors[0].email, role: .supervisor, note: "the people of \(coordinatorsByRegion.flatMap { $0 }.filter { $0.supervisorID == supervisors[0].id }.count) coordinators"),
                Report.Account(email: firstCoordinator.email, role: .supportCoordinator, note: "a caseload of about 25"),
                Report.Account(email: staff[providers[0].id!]![0].email, role: .providerStaff, note: "the people \(providers[0].name) serves"),
            ]
            return Organisation(seed: seed, today: today, total: total, admin: admin, regionCount: regionCount, pairs: pairs, providers: providers,
                                coordinatorsByRegion: coordinatorsByRegion, organizationOf: organizationOf, staff: staff, catalogue: catalogue,
                                engine: try RuleEngine(library: RulePackLibrary.shared.get()), accounts: accounts)
        }
    }
}

import Vapor
import XCTest
@testable import LanternApp

/// Every role × every route that touches a person × their own person and someone else's.
/// Allowed answers 2xx; a person the role may not see answers 404; a person the role may see
/// but not change answers 403.
final class AccessMatrixTests: XCTestCase {
    /// Who may see `own` and `other`.
    static let sees: [String: (own: Bool, other: Bool)] = [
        "admin": (true, true), "supervisor": (true, false), "coordinator": (true, false),
        "staff": (true, false), "guardian": (true, false), "person": (true, false),
    ]
    static let writers: Set<String> = ["admin", "supervisor", "coordinator"]
    static let assigners: Set<String> = ["admin", "supervisor"]

    enum Kind { case read, write, assign }

    struct Route {
        var name: String
        var kind: Kind
        var call: (TestWorld, String, UUID, UUID) async throws -> TestWorld.Reply
    }

    nonisolated(unsafe) static let routes: [Route] = [
        Route(name: "API GET person", kind: .read) { w, who, p, _ in try await w.api(.GET, "/api/v1/people/\(p.text)", as: who) },
        Route(name: "API GET circle", kind: .read) { w, who, p, _ in try await w.api(.GET, "/api/v1/people/\(p.text)/circle", as: who) },
        Route(name: "API GET circle member", kind: .read) { w, who, p, m in try await w.api(.GET, "/api/v1/people/\(p.text)/circle/\(m.text)", as: who) },
        Route(name: "API GET assignments", kind: .read) { w, who, p, _ in try await w.api(.GET, "/api/v1/people/\(p.text)/coordinator-assignments", as: who) },
        Route(name: "API GET providers", kind: .read) { w, who, p, _ in try await w.api(.GET, "/api/v1/people/\(p.text)/providers", as: who) },
        Route(name: "WEB GET person page", kind: .read) { w, who, p, _ in try await w.web(.GET, "/people/\(p.text)", as: who) },
        Route(name: "API GET referrals", kind: .read) { w, who, p, _ in try await w.api(.GET, "/api/v1/people/\(p.text)/referrals", as: who) },
        Route(name: "API GET meetings", kind: .read) { w, who, p, _ in try await w.api(.GET, "/api/v1/people/\(p.text)/meetings", as: who) },
        Route(name: "API GET satisfaction", kind: .read) { w, who, p, _ in try await w.api(.GET, "/api/v1/people/\(p.text)/satisfaction", as: who) },
        Route(name: "API GET refusals", kind: .read) { w, who, p, _ in try await w.api(.GET, "/api/v1/people/\(p.text)/refusals", as: who) },
        Route(name: "WEB GET intake", kind: .read) { w, who, p, _ in try await w.web(.GET, "/people/\(p.text)/intake", as: who) },
        Route(name: "WEB GET meetings", kind: .read) { w, who, p, _ in try await w.web(.GET, "/people/\(p.text)/meetings", as: who) },
        Route(name: "WEB GET decisions", kind: .read) { w, who, p, _ in try await w.web(.GET, "/people/\(p.text)/decisions", as: who) },
        Route(name: "API POST referral", kind: .write) { w, who, p, _ in
            try await w.api(.POST, "/api/v1/people/\(p.text)/referrals", as: who, json: [
                "planType": "california_ipp", "referredOn": "2026-11-01", "source": "family", "referrerName": "A parent", "reason": "Asks for services",
            ])
        },
        Route(name: "API POST meeting", kind: .write) { w, who, p, _ in
            try await w.api(.POST, "/api/v1/people/\(p.text)/meetings", as: who, json: ["meetsOn": "2026-12-01", "startsAt": "10:00", "place": "Home", "facilitator": "The person"])
        },
        Route(name: "API PATCH person", kind: .write) { w, who, p, _ in
            try await w.api(.PATCH, "/api/v1/people/\(p.text)", as: who, json: ["pronouns": "they/them"], headers: ["If-Match": "*"])
        },
        Route(name: "API POST circle member", kind: .write) { w, who, p, _ in
            try await w.api(.POST, "/api/v1/people/\(p.text)/circle", as: who, json: ["name": "New Friend", "relationship": "friend"])
        },
        Route(name: "API PATCH circle member", kind: .write) { w, who, p, m in
            try await w.api(.PATCH, "/api/v1/people/\(p.text)/circle/\(m.text)", as: who, json: ["phone": "(573) 555-0100"], headers: ["If-Match": "*"])
        },
        Route(name: "WEB GET edit form", kind: .write) { w, who, p, _ in try await w.web(.GET, "/people/\(p.text)/edit", as: who) },
        Route(name: "WEB GET new circle member form", kind: .write) { w, who, p, _ in try await w.web(.GET, "/people/\(p.text)/circle/new", as: who) },
        Route(name: "WEB POST circle member", kind: .write) { w, who, p, _ in
            try await w.web(.POST, "/people/\(p.text)/circle", as: who, form: [("name", "Web Friend"), ("relationship", "friend")])
        },
        Route(name: "API POST coordinator assignment", kind: .assign) { w, who, p, _ in
            try await w.api(.POST, "/api/v1/people/\(p.text)/coordinator-assignments", as: who,
                            json: ["coordinatorId": p == w.other ? w.coordinatorA.text : w.coordinatorA2.text, "reason": "Test change"])
        },
        Route(name: "API POST self-coordination", kind: .assign) { w, who, p, _ in
            try await w.api(.POST, "/api/v1/people/\(p.text)/self-coordination", as: who, json: [:])
        },
        Route(name: "API POST provider link", kind: .assign) { w, who, p, _ in
            try await w.api(.POST, "/api/v1/people/\(p.text)/providers", as: who, json: ["organizationId": w.providerB.text])
        },
    ]

    func testMatrix() async throws {
        try await onEveryEngine { base in
            var failures: [String] = []
            var cells = 0
            for route in Self.routes {
                for who in TestWorld.roleNames {
                    for target in ["own", "other"] {
                        // Each write gets a fresh world so earlier writes (like a coordinator change) do not move access.
                        let w = route.kind == .read ? base : try await TestWorld.make(base.engine)
                        let person = target == "own" ? w.own : w.other
                        let member = target == "own" ? w.ownMember : w.otherMember
                        let visible = target == "own" ? Self.sees[who]!.own : Self.sees[who]!.other
                        let allowed: Bool
                        switch route.kind {
                        case .read: allowed = visible
                        case .write: allowed = visible && Self.writers.contains(who)
                        case .assign: allowed = visible && Self.assigners.contains(who)
                        }
                        let expected: String = allowed ? "2xx" : (visible ? "403" : "404")
                        let reply = try await route.call(w, who, person, member)
                        let got = reply.status.code
                        let ok = allowed ? (200..<400).contains(got) && !(reply.headers.first(name: .location)?.hasPrefix("/sign-in") ?? false)
                                         : got == (visible ? 403 : 404)
                        if !ok { failures.append("\(route.name) as \(who) on \(target): expected \(expected), got \(got)") }
                        cells += 1
                        if route.kind != .read { try await w.shutdown() }
                    }
                }
            }
            XCTAssertEqual(cells, Self.routes.count * 12)
            XCTAssertTrue(failures.isEmpty, "[\(base.engine)] access matrix failures:\n" + failures.joined(separator: "\n"))
        }
    }

    func testListsShowOnlyWhatARoleMaySee() async throws {
        try await onEveryEngine { w in
            for who in TestWorld.roleNames {
                let reply = try await w.api(.GET, "/api/v1/people?limit=200", as: who)
                XCTAssertEqual(reply.status, .ok, who)
                let ids = Set(((reply.object["items"] as? [[String: Any]]) ?? []).compactMap { ($0["id"] as? String)?.lowercased() })
                XCTAssertTrue(ids.contains(w.own.text), "\(who) should see own person in the list")
                XCTAssertEqual(ids.contains(w.other.text), Self.sees[who]!.other, "\(who) list visibility of other person")
                let page = try await w.web(.GET, "/people", as: who)
                XCTAssertEqual(page.status, .ok)
                XCTAssertEqual(page.body.contains(w.other.text), Self.sees[who]!.other, "\(who) web list visibility")
            }
        }
    }

    func testUnknownPersonAndNoCredentials() async throws {
        try await onEveryEngine { w in
            let missing = UUID().text
            try await expectEqual(try await w.api(.GET, "/api/v1/people/\(missing)", as: "admin").status, .notFound)
            try await expectEqual(try await w.api(.GET, "/api/v1/people/not-an-id", as: "admin").status, .notFound)
            let anonymous = try await w.api(.GET, "/api/v1/people/\(w.own.text)", as: nil)
            XCTAssertEqual(anonymous.status, .unauthorized)
            XCTAssertEqual(anonymous.headers.contentType?.description.hasPrefix("application/problem+json"), true)
            let page = try await w.web(.GET, "/people/\(w.own.text)", as: nil)
            XCTAssertEqual(page.status, .seeOther)
            XCTAssertEqual(page.headers.first(name: .location), "/sign-in?next=/people/\(w.own.text)")
            var bad = HTTPHeaders(); bad.bearerAuthorization = BearerAuthorization(token: "lnt_forged")
            try await expectEqual(try await w.api(.GET, "/api/v1/people", as: nil, headers: bad).status, .unauthorized)
        }
    }

    func testOnlyAdministratorsReadTheAuditTrail() async throws {
        try await onEveryEngine { w in
            for who in TestWorld.roleNames {
                let expected: HTTPStatus = who == "admin" ? .ok : .notFound
                try await expectEqual(try await w.web(.GET, "/audit", as: who).status, expected, who)
                try await expectEqual(try await w.api(.GET, "/api/v1/audit", as: who).status, expected, who)
                try await expectEqual(try await w.web(.GET, "/audit.csv", as: who).status, expected, who)
            }
        }
    }
}

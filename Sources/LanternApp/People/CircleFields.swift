import Foundation
import Vapor

/// How a circle member is written from a request body and shown as JSON.
enum CircleFields {
    static let allowed: Set<String> = [
        "name", "relationship", "isPaid", "chosenByPerson", "hasLegalAuthority", "authorityScope",
        "phone", "email", "address", "receivesPlanCopy", "userId",
    ]

    static func apply(_ input: [String: JSONValue], to m: CircleMember, creating: Bool) -> [FieldError] {
        var r = FieldReader(input, creating: creating)
        r.rejectUnknown(allowed: allowed)
        if creating {
            m.isPaid = false; m.chosenByPerson = true; m.hasLegalAuthority = false; m.receivesPlanCopy = false; m.version = 1
        }
        if let v = r.text("name", label: "Name", required: true, max: 120), let v { m.name = v }
        if let v = r.choice("relationship", label: "Relationship", Relationship.self, required: true), let v { m.relationship = v.rawValue }
        if let v = r.bool("isPaid", label: "Paid support") { m.isPaid = v }
        if let v = r.bool("chosenByPerson", label: "Chosen by the person") { m.chosenByPerson = v }
        if let v = r.bool("hasLegalAuthority", label: "Holds legal authority") { m.hasLegalAuthority = v }
        if let v = r.text("authorityScope", label: "Scope of legal authority", max: 1000) { m.authorityScope = v }
        if let v = r.text("phone", label: "Phone", max: 40) {
            if let v, v.contains(where: { !"0123456789+-() .x".contains($0) }) {
                r.fail("phone", "Phone may only have digits, spaces and + - ( ) . x, for example (573) 555-0142.")
            } else { m.phone = v }
        }
        if let v = r.text("email", label: "Email", max: 254) {
            if let v, !EmailAddress.isPlausible(v) {
                r.fail("email", "Email must look like name@example.org.")
            } else { m.email = v?.lowercased() }
        }
        if let v = r.text("address", label: "Address", max: 300) { m.address = v }
        if let v = r.bool("receivesPlanCopy", label: "Receives a copy of the plan") { m.receivesPlanCopy = v }
        if let v = r.uuid("userId", label: "Linked account") { m.userID = v }
        if r.errors.isEmpty {
            if m.hasLegalAuthority && (m.authorityScope ?? "").isEmpty {
                r.fail("authorityScope", "Say what the legal authority covers (for example: medical, financial, all decisions).")
            }
            if m.relationship == Relationship.guardian.rawValue && !m.hasLegalAuthority {
                r.fail("hasLegalAuthority", "A guardian holds legal authority: tick 'Holds legal authority' and say what it covers.")
            }
        }
        return r.errors
    }
}

enum EmailAddress {
    static func isPlausible(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && !text.contains(where: \.isWhitespace)
    }
}

struct CircleMemberDTO: Content {
    var id: String
    var personId: String
    var name: String
    var relationship: String
    var isPaid: Bool
    var chosenByPerson: Bool
    var hasLegalAuthority: Bool
    var authorityScope: String?
    var phone: String?
    var email: String?
    var address: String?
    var receivesPlanCopy: Bool
    var userId: String?
    var version: Int

    init(_ m: CircleMember) {
        id = m.id!.text; personId = m.$person.id.text; name = m.name; relationship = m.relationship; isPaid = m.isPaid
        chosenByPerson = m.chosenByPerson; hasLegalAuthority = m.hasLegalAuthority; authorityScope = m.authorityScope
        phone = m.phone; email = m.email; address = m.address; receivesPlanCopy = m.receivesPlanCopy
        userId = m.userID?.text; version = m.version
    }
}

import Foundation
import XCTest
@testable import LanternApp

/// The printed plan and the one-page profile, compared with reviewed snapshots in `Snapshots/`. The
/// documents depend only on the data they are given, so the same synthetic plan always gives the same
/// page; a change to either page shows up here as a diff to review. After a deliberate change, record
/// the snapshots again with `LANTERN_RECORD_SNAPSHOTS=1 swift test --filter PlanDocumentSnapshotTests`.
final class PlanDocumentSnapshotTests: XCTestCase {
    static func id(_ n: Int) -> UUID { UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", n))! }

    /// Ada, with a signed version 1 and a version 2 waiting for signatures that changes one statement.
    static func document(version2: Bool, language: ProfileLanguage? = nil, translations: [String: String] = [:]) -> PlanDocument {
        let person = Person()
        person.id = id(1); person.legalGivenName = "Adaline"; person.preferredName = "Ada"; person.legalFamilyName = "Snapshot"; person.birthDate = "1994-05-17"
        let gwen = CircleMember()
        gwen.id = id(2); gwen.name = "Gwen Snapshot"; gwen.relationship = "guardian"; gwen.hasLegalAuthority = true
        let sections = ExamplePlan.sections(for: .missouriISP, name: "Ada", circle: [id(2).text], guardian: id(2).text, meetingDate: CalendarDate("2026-11-02")!)
        func plan(_ n: Int, version: Int, status: PlanStatus) -> Plan {
            let p = Plan()
            p.id = id(n); p.$person.id = id(1); p.planType = PlanType.missouriISP.rawValue; p.planKind = PlanKind.annual.rawValue
            p.status = status.rawValue; p.meetingDate = "2026-11-02"; p.effectiveStart = "2026-11-16"; p.effectiveEnd = "2027-11-15"
            p.implementationDate = "2026-11-16"; p.nextReviewDate = "2027-05-02"; p.planningLanguage = "English"
            p.seriesID = id(10); p.versionNumber = version; p.contentDigest = String(repeating: "ab", count: 32)
            p.changeReason = version == 2 ? "Ada asked to add swimming" : nil
            return p
        }
        var content = sections
        if version2 {
            var statements = content["important-to"]!.entries("statements")
            statements[0]["statement"] = .string("Swimming on Saturdays with my cousin.")
            content["important-to"]!["statements"] = .array(statements.map(JSONValue.object))
        }
        let current = version2 ? plan(11, version: 2, status: .awaitingSignatures) : plan(10, version: 1, status: .active)
        let rows = Dictionary(uniqueKeysWithValues: content.map { key, value -> (String, PlanSection) in
            let row = PlanSection(); row.sectionKey = key; row.content = value; row.version = 1
            return (key, row)
        })
        let record = PlanRecord(plan: current, person: person, sections: rows, circle: [gwen])
        func signature(_ n: Int, _ role: SignerRole, _ name: String, signed: Bool) -> PlanSignature {
            let s = PlanSignature()
            s.id = id(n); s.$plan.id = current.id!; s.role = role.rawValue; s.signerName = name; s.required = true
            s.reason = "Needed."; s.citation = "Test"; s.status = (signed ? SignatureStatus.signed : .requested).rawValue
            if signed {
                s.method = SignatureMethod.inPerson.rawValue; s.signedAt = Date(timeIntervalSince1970: 1_795_000_000)
                s.hadSupport = role == .person; s.supportBy = role == .person ? "Gwen, reading aloud" : nil
            }
            return s
        }
        let signatures = [signature(20, .person, "Ada Snapshot", signed: !version2), signature(21, .guardian, "Gwen Snapshot", signed: true),
                          signature(22, .coordinator, "Casey Coordinator", signed: !version2)]
        let copy = PlanDistribution()
        copy.id = id(30); copy.$plan.id = current.id!; copy.recipientName = "Gwen Snapshot"; copy.recipientRole = RecipientRole.guardian.rawValue
        copy.method = DistributionMethod.print.rawValue; copy.sentOn = "2026-11-18"; copy.includesBudget = true; copy.recordedByID = id(40)
        let names = [id(2).text: "Gwen Snapshot"]
        let profile = PlanProfile.build(.missouriISP, sections: content, names: names, previous: version2 ? sections : nil)
        var d = PlanDocument(record: record, signatures: signatures, copies: version2 ? [] : [copy], reviewRequests: [],
                             base: version2 ? plan(10, version: 1, status: .active) : nil, profile: profile)
        d.language = language
        d.translations = translations
        d.languages = language.map { [$0] } ?? []
        if version2 { d.photoDescription = "Ada smiling in her garden"; d.mayChoosePhoto = true }
        return d
    }

    func assertSnapshot(_ html: HTML, named name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().appendingPathComponent("Snapshots/\(name).html")
        if ProcessInfo.processInfo.environment["LANTERN_RECORD_SNAPSHOTS"] == "1" {
            try html.raw.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            return XCTFail("No snapshot \(name).html yet: record it with LANTERN_RECORD_SNAPSHOTS=1 and review it.", file: file, line: line)
        }
        let got = html.raw.components(separatedBy: "\n"), want = expected.components(separatedBy: "\n")
        guard got != want else { return }
        let first = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
        XCTFail("""
        \(name).html differs from its snapshot, first at line \(first + 1):
          snapshot: \(first < want.count ? want[first] : "(end)")
          now:      \(first < got.count ? got[first] : "(end)")
        """, file: file, line: line)
    }

    func testThePrintedPlan() throws {
        let html = PlanDocumentViews.printPage(Self.document(version2: false), printedOn: CalendarDate("2026-11-23")!)
        try assertSnapshot(html, named: "print-isp-signed")
        // Every section of the plan type has its own sheet, and the signature page closes it.
        XCTAssertEqual(html.raw.components(separatedBy: "<section class=\"sheet\"").count - 1, PlanSections.sections(for: .missouriISP).count + 1)
    }

    func testTheProfileMarksWhatIsNewAndSpeaksTheTranslation() throws {
        try assertSnapshot(PlanDocumentViews.profilePage(Self.document(version2: false)), named: "profile-isp-first")
        let spanish = ProfileLanguage("es")!
        let v2 = Self.document(version2: true, language: spanish, translations: [
            "About me": "Sobre mí", "What is important to me": "Lo que es importante para mí", "New": "Nuevo",
        ])
        let html = PlanDocumentViews.profilePage(v2)
        try assertSnapshot(html, named: "profile-isp-new-version-spanish")
        XCTAssertEqual(html.raw.components(separatedBy: "class=\"is-new\"").count - 1, 1, "only the changed statement is new")
    }
}

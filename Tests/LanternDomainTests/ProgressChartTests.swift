@testable import LanternDomain
import Foundation
import XCTest

/// The progress chart drawn on the server and the sentence that says what it shows; the flags that
/// bring an outcome to the coordinator's attention, at their boundaries.
final class ProgressChartTests: XCTestCase {
    func d(_ text: String) -> CalendarDate { CalendarDate(text)! }

    func testDayNumbersAgreeWithTheCalendar() {
        XCTAssertEqual(d("1970-01-01").dayNumber, 0)
        XCTAssertEqual(d("2000-03-01").dayNumber, 11_017)
        XCTAssertEqual(d("2024-02-28").days(until: d("2024-03-01")), 2, "a leap year")
        for text in ["1969-12-31", "2026-11-23", "2100-02-28"] {
            let date = d(text)
            XCTAssertEqual(date.adding(days: 400).dayNumber - date.dayNumber, 400)
        }
        XCTAssertEqual(ProgressChart.weekStart(d("2026-11-23")), d("2026-11-23"), "a Monday")
        XCTAssertEqual(ProgressChart.weekStart(d("2026-11-29")), d("2026-11-23"), "the Sunday after it")
    }

    /// Compares with `Snapshots/<name>`; `LANTERN_RECORD_SNAPSHOTS=1` writes it instead.
    func assertSnapshot(_ text: String, named name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().appendingPathComponent("Snapshots/\(name)")
        if ProcessInfo.processInfo.environment["LANTERN_RECORD_SNAPSHOTS"] == "1" { return try text.write(to: url, atomically: true, encoding: .utf8) }
        let expected = try? String(contentsOf: url, encoding: .utf8)
        XCTAssertEqual(text, expected, "\(name) differs from its snapshot; record it again with LANTERN_RECORD_SNAPSHOTS=1 after a deliberate change", file: file, line: line)
    }

    func testACountChartWithItsTarget() throws {
        let entries = [("2026-09-07", 2.0), ("2026-09-21", 3), ("2026-10-05", 3), ("2026-10-19", 5), ("2026-11-02", 6)].map { ProgressPoint(d($0.0), $0.1) }
        let chart = ProgressChart.make(title: "Trips to the library on my own", measure: .count, entries: entries, target: 8, targetDate: d("2027-03-01"))
        XCTAssertEqual(chart.summary, "5 entries from 2026-09-07 to 2026-11-02. The latest is 6, up from 2 at the start. The target is 8 by 2027-03-01: 67% of the way there.")
        XCTAssertFalse(chart.weekly)
        XCTAssertTrue(chart.svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"progress-chart\""))
        XCTAssertTrue(chart.svg.contains("role=\"img\" aria-labelledby=\"chart-title chart-desc\""))
        XCTAssertTrue(chart.svg.contains("<desc id=\"chart-desc\">\(chart.summary)</desc>"), "the picture carries its own text alternative")
        XCTAssertEqual(chart.svg.components(separatedBy: "<circle").count - 1, 5)
        try assertSnapshot(chart.svg, named: "progress-count.svg")
    }

    func testYesOrNoIsChartedAsTheWeeklyShareOfYes() throws {
        // Two weeks: Monday to Friday; yes on 3 of 5, then on 5 of 5.
        let days = (0..<5).map { d("2026-11-09").adding(days: $0) } + (0..<5).map { d("2026-11-16").adding(days: $0) }
        let values: [Double] = [1, 0, 1, 0, 1, 1, 1, 1, 1, 1]
        let chart = ProgressChart.make(title: "Made my own lunch", measure: .yesNo, entries: zip(days, values).map { ProgressPoint($0, $1) }, target: 80, targetDate: nil)
        XCTAssertTrue(chart.weekly)
        XCTAssertEqual(chart.points, [ProgressPoint(d("2026-11-09"), 60), ProgressPoint(d("2026-11-16"), 100)])
        XCTAssertEqual(chart.summary, "10 entries from 2026-11-09 to 2026-11-20: yes on 8 (80%). In the last 7 entries, yes on 6. The target is yes on 80% of entries.")
        XCTAssertTrue(chart.svg.contains(">Target 80%</text>"))
        try assertSnapshot(chart.svg, named: "progress-yes-no.svg")
    }

    func testThreeYearsOfDailyEntriesAreDrawnAsWeeks() {
        let start = d("2024-01-01")
        let entries = (0..<1096).map { ProgressPoint(start.adding(days: $0), Double($0 % 30)) }
        let chart = ProgressChart.make(title: "Minutes walking", measure: .duration, entries: entries, target: 30, targetDate: nil)
        XCTAssertTrue(chart.weekly)
        XCTAssertEqual(chart.points.count, 157)
        XCTAssertFalse(chart.svg.contains("<circle"), "too many points for dots; the line alone")
        XCTAssertLessThan(chart.svg.utf8.count, 16_000)
        XCTAssertTrue(chart.summary.hasPrefix("1096 entries from 2024-01-01 to 2026-12-31."), chart.summary)
    }

    func testNothingRecordedAndTextIsEscaped() {
        let chart = ProgressChart.make(title: "Cook <b>pasta</b> & rice", measure: .rating, entries: [], target: nil, targetDate: nil)
        XCTAssertEqual(chart.summary, "No progress has been recorded yet.")
        XCTAssertTrue(chart.svg.contains("<title id=\"chart-title\">Cook &lt;b&gt;pasta&lt;/b&gt; &amp; rice</title>"))
        let reached = ProgressChart.make(title: "t", measure: .percentage, entries: [ProgressPoint(d("2026-01-05"), 40), ProgressPoint(d("2026-02-05"), 85)], target: 80, targetDate: nil)
        XCTAssertEqual(reached.summary, "2 entries from 2026-01-05 to 2026-02-05. The latest is 85%, up from 40% at the start. The target, 80%, is reached.")
        let downward = ProgressChart.make(title: "t", measure: .count, entries: [ProgressPoint(d("2026-01-05"), 9), ProgressPoint(d("2026-02-05"), 4)], target: 2, targetDate: nil)
        XCTAssertEqual(downward.summary, "2 entries from 2026-01-05 to 2026-02-05. The latest is 4, down from 9 at the start. The target is 2: 71% of the way there.")
    }

    func testQuietOutcomesAreFlaggedOneDayPastTheLimit() {
        let entries = [ProgressPoint(d("2026-11-01"), 3)]
        func flags(today: String) -> [ProgressFlag] {
            ProgressFlag.flags(entries: entries, target: nil, measure: .count, startedOn: d("2026-10-01"), today: d(today), quietDays: 14)
        }
        XCTAssertEqual(flags(today: "2026-11-15"), [], "14 days is still fine")
        XCTAssertEqual(flags(today: "2026-11-16"), [.noRecentData(days: 15)])
        let never = ProgressFlag.flags(entries: [], target: 5, measure: .count, startedOn: d("2026-11-01"), today: d("2026-11-23"), quietDays: 21)
        XCTAssertEqual(never, [.noRecentData(days: 22)], "a step with no entry at all counts from its start")
    }

    func testMovingAwayFromTheTargetIsFlagged() {
        func points(_ values: [Double]) -> [ProgressPoint] { values.enumerated().map { ProgressPoint(d("2026-11-01").adding(days: 7 * $0.offset), $0.element) } }
        func flagged(_ values: [Double], target: Double, measure: ProgressMeasure = .count) -> Bool {
            ProgressFlag.flags(entries: points(values), target: target, measure: measure, startedOn: d("2026-10-01"), today: d("2026-12-01"), quietDays: 60)
                .contains(.movingAwayFromTarget)
        }
        XCTAssertTrue(flagged([6, 5, 4], target: 10), "going down while the target is up")
        XCTAssertFalse(flagged([4, 5, 6], target: 10))
        XCTAssertFalse(flagged([4, 5], target: 10) , "two entries are too few to call a trend")
        XCTAssertFalse(flagged([5, 5, 5], target: 10), "flat is not moving away")
        XCTAssertTrue(flagged([3, 4, 5], target: 1), "going up while the target is down")
        XCTAssertTrue(flagged([1, 1, 0, 0], target: 80, measure: .yesNo), "a yes-or-no target is a share of yes")
        XCTAssertFalse(flagged([0, 0, 1, 1], target: 80, measure: .yesNo))
        // Only the latest entries count: an old dip does not flag a recovery.
        XCTAssertFalse(flagged([9, 1, 2, 3, 4, 5, 6, 7], target: 10))
        // Noise is not a trend: a change of less than a tenth of the scale is not flagged, a tenth is.
        XCTAssertFalse(flagged([50, 52, 51, 50, 49, 50], target: 80, measure: .percentage))
        XCTAssertFalse(flagged([60, 60, 60, 51, 51, 51], target: 80, measure: .percentage))
        XCTAssertTrue(flagged([60, 60, 60, 50, 50, 50], target: 80, measure: .percentage))
        // Beyond the target in the direction it had to go is doing well, not moving away.
        XCTAssertFalse(flagged([0, 1, 2, 3, 4, 5], target: 1))
        XCTAssertFalse(flagged([85, 90, 95], target: 80, measure: .percentage))
    }
}

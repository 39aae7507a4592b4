import XCTest
import XCTVapor
@testable import LanternApp
final class PlaceholderTests: XCTestCase { func testNothing() {} }

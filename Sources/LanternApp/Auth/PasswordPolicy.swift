import Foundation
import Vapor

/// Passwords as OWASP ASVS asks: 8 to 128 characters, not a commonly used one, no composition rules.
/// Hashed with bcrypt at cost 12.
public enum PasswordPolicy {
    public static let minimumLength = 8
    public static let maximumLength = 128
    public static let bcryptCost = 12

    /// Why a password cannot be used, or nil when it can.
    public static func problem(with password: String, email: String? = nil) -> String? {
        let length = password.count
        if length < minimumLength { return "Use at least \(minimumLength) characters. A few words together make a strong password that is easy to remember." }
        if length > maximumLength { return "Use at most \(maximumLength) characters." }
        let lowered = password.lowercased()
        if commonPasswords.contains(lowered) { return "This password is one of the most common and easy to guess. Choose another, for example a few words that mean something to you." }
        if let email, lowered == email.lowercased() || lowered == email.lowercased().split(separator: "@").first.map(String.init) {
            return "Do not use your email address as your password."
        }
        return nil
    }

    public static func hash(_ password: String) throws -> String {
        try Bcrypt.hash(password, cost: bcryptCost)
    }

    /// A hash to check against when the account does not exist, so that the answer takes as long either way.
    static let decoyHash = (try? Bcrypt.hash("decoy password for timing", cost: bcryptCost)) ?? ""

    static let commonPasswords: Set<String> = {
        guard let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt", subdirectory: "Resources"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            return []
        }
        return Set(text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty && !$0.hasPrefix("#") })
    }()
}

import Foundation

/// A language the pages for the person and family are written in: one for each file in
/// `Resources/Messages/<code>.json`. Another language is another file; no code names the languages
/// but English, the one every other falls back to.
public struct PortalLanguage: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// A language Lantern has words for; nil for any other code.
    public init?(rawValue: String) {
        guard Messages.catalogues[rawValue] != nil else { return nil }
        self.rawValue = rawValue
    }
    private init(known: String) { rawValue = known }

    public static let en = PortalLanguage(known: "en")
    /// Every language with a file, English first, then by code.
    public static var allCases: [PortalLanguage] {
        Messages.catalogues.keys.sorted { ($0 != "en" ? 1 : 0, $0) < ($1 != "en" ? 1 : 0, $1) }.map(PortalLanguage.init(known:))
    }
    var htmlCode: String { rawValue }
    /// The language's own name ("Español"), from its file.
    var name: String { Messages.text("language.name", self) }
    public var description: String { rawValue }

    /// The language for someone whose record says they speak `spoken` ("Spanish", "español"), when
    /// Lantern has its words; English otherwise.
    static func matching(_ spoken: String?) -> PortalLanguage {
        guard let spoken = spoken?.lowercased(), !spoken.isEmpty else { return .en }
        let english = Locale(identifier: "en")
        return allCases.first { language in
            let names = [english.localizedString(forLanguageCode: language.rawValue), language.name].compactMap { $0?.lowercased() }
            return names.contains { spoken.hasPrefix($0) || $0.hasPrefix(spoken) }
        } ?? .en
    }
}

/// The words of the pages for the person and family, by key, in each language. Placeholders are
/// written {name}. A key missing in a language falls back to English (and a test lists any missing).
enum Messages {
    /// Language code → key → words, read once from the message files.
    static let catalogues: [String: [String: String]] = {
        var all: [String: [String: String]] = [:]
        for case let url as URL in Bundle.module.urls(forResourcesWithExtension: "json", subdirectory: "Resources/Messages") ?? [] {
            guard let data = try? Data(contentsOf: url), let words = try? JSONDecoder().decode([String: String].self, from: data) else { continue }
            all[url.deletingPathExtension().lastPathComponent] = words
        }
        return all
    }()

    static func text(_ key: String, _ language: PortalLanguage, _ values: [String: String] = [:]) -> String {
        var text = catalogues[language.rawValue]?[key] ?? catalogues["en"]?[key] ?? key
        for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }

    /// Keys one language has and another lacks, as "es: invitation.title".
    static func missing() -> [String] {
        let keys = Set(catalogues.values.flatMap(\.keys))
        return PortalLanguage.allCases.flatMap { language in
            keys.subtracting(catalogues[language.rawValue]?.keys.map { $0 } ?? []).sorted().map { "\(language.rawValue): \($0)" }
        }
    }
}

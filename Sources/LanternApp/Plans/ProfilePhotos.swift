import Fluent
import Vapor

/// The optional photo on a person's one-page profile. It is the person's to choose (with their
/// family or staff); every read and change is checked and audited like the rest of the record.
extension PersonRecords {
    /// A phone photo shared at a normal size fits; the upload route accepts a little more for the form.
    static let photoMaxBytes = 4 * 1024 * 1024

    /// The image type from the file's first bytes, never from what the browser says it is.
    static func imageType(of data: Data) -> String? {
        let bytes = [UInt8](data.prefix(12))
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if bytes.count == 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) { return "image/webp" }
        return nil
    }

    func savePhoto(of personID: UUID, data: Data, description: String?) async throws -> ProfilePhoto {
        let actor = self.actor
        var errors: [FieldError] = []
        let type = Self.imageType(of: data)
        if data.isEmpty { errors.append(FieldError("photo", "Choose a photo to upload.")) }
        else if data.count > Self.photoMaxBytes { errors.append(FieldError("photo", "The photo is \(data.count / 1024) KB; it can be at most 4 MB. Share it from your phone at a smaller size, then try again.")) }
        else if type == nil { errors.append(FieldError("photo", "The file is not a JPEG, PNG or WebP photo.")) }
        var r = FieldReader(["description": description.map(JSONValue.string) ?? .null], creating: true)
        let words = r.text("description", label: "What the photo shows", required: true, max: 200) ?? nil
        if !r.errors.isEmpty {
            errors += r.errors.map { FieldError($0.field, $0.message + " Say in a few words what the photo shows, for someone who cannot see it. For example: Ada smiling in her garden.") }
        }
        guard errors.isEmpty, let contentType = type, let words else { throw Problem.invalid(errors) }
        return try await change(personID, .choosePhoto, .plan, action: .update) { _, db in
            let existing = try await ProfilePhoto.query(on: db).filter(\.$personID == personID).first()
            let photo = existing ?? ProfilePhoto()
            if existing == nil { photo.id = UUID(); photo.personID = personID }
            photo.contentType = contentType; photo.data = data; photo.altText = words; photo.uploadedByID = actor.userID
            try await photo.save(on: db)
            return (photo, "profile photo \(existing == nil ? "added" : "replaced") (\(contentType), \(data.count) bytes)")
        }
    }

    func removePhoto(of personID: UUID) async throws {
        try await change(personID, .choosePhoto, .plan, action: .delete) { _, db in
            let removed = try await ProfilePhoto.query(on: db).filter(\.$personID == personID).all()
            for photo in removed { try await photo.delete(on: db) }
            return ((), removed.isEmpty ? "no profile photo to remove" : "profile photo removed")
        }
    }

    /// The photo with its image, to serve it.
    func photo(of personID: UUID) async throws -> (Person, ProfilePhoto?) {
        try await read(personID, .plan, detail: "read profile photo") { person, db in
            (person, try await ProfilePhoto.query(on: db).filter(\.$personID == personID).first())
        }
    }

    /// For the photo form: the person and the words describing their photo, without the image itself.
    func photoForm(of personID: UUID) async throws -> (Person, String?) {
        try await change(personID, .choosePhoto, .plan, action: .view) { person, db in
            let photo = try await ProfilePhoto.query(on: db).filter(\.$personID == personID).field(\.$id).field(\.$altText).first()
            return ((person, photo?.altText), "profile photo form")
        }
    }
}

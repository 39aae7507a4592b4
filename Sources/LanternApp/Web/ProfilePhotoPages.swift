import Vapor

/// Choosing the photo on a person's one-page profile: the form, the upload, taking it away, and the
/// image itself (served only to those who may see the person, and never cached).
enum ProfilePhotoPages {
    static func register(_ web: any RoutesBuilder) {
        web.get("people", ":personID", "photo", use: image)
        web.get("people", ":personID", "photo", "edit", use: form)
        // A phone photo is bigger than the 1 MB every other form may send.
        web.on(.POST, "people", ":personID", "photo", body: .collect(maxSize: "6mb"), use: upload)
        web.post("people", ":personID", "photo", "remove", use: remove)
    }

    static func image(req: Request) async throws -> Response {
        let (_, photo) = try await req.records().photo(of: try req.uuidParameter("personID", what: "person"))
        guard let photo else { throw Problem.notFound("photo") }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: photo.contentType)
        return Response(status: .ok, headers: headers, body: .init(data: photo.data))
    }

    /// Where to go back to: the profile the form was opened from, when it names a plan.
    static func back(_ req: Request, personID: UUID) -> String {
        if let plan = req.query[String.self, at: "plan"].flatMap(UUID.init(uuidString:)) { return PlanPaths.overview(plan.text) + "/profile" }
        return "/people/\(personID.text)"
    }

    static func form(req: Request) async throws -> HTML {
        let personID = try req.uuidParameter("personID", what: "person")
        let (person, photo) = try await req.records().photoForm(of: personID)
        return Layout.page(req, title: "Profile photo", main: page(req, person: person, photo: photo, errors: []),
                           flash: req.query[String.self, at: "saved"].map { $0 == "removed" ? "Photo removed." : "Photo saved." })
    }

    /// `photo` is the description of the photo there is now, if any.
    static func page(_ req: Request, person: Person, photo: String?, errors: [FieldError], typed: String? = nil) -> HTML {
        let id = person.id!.text
        let query = req.query[String.self, at: "plan"].flatMap(UUID.init(uuidString:)).map { "?plan=\($0.text)" } ?? ""
        let error = { (field: String) in errors.first { $0.field == field }?.message }
        let current: HTML = photo.map { p in
            """
            <h2>The photo now</h2>
            <img class="profile-photo" src="/people/\(id)/photo" alt="\(p)">
            <form method="post" action="/people/\(id)/photo/remove\(query)">\(Form.csrf(req))
            <div class="actions"><button type="submit" class="secondary">Remove the photo</button></div>
            </form>
            """
        } ?? "<p>There is no photo on the profile yet.</p>"
        return """
        <h1>\(person.displayName)'s profile photo</h1>
        <p><a href="\(back(req, personID: person.id!))">Back</a></p>
        \(Form.errorSummary(errors))
        <p>The photo shows at the top of the one-page profile. Choose one that \(person.displayName) likes.</p>
        \(current)
        <h2>\(photo == nil ? "Add a photo" : "Choose another photo")</h2>
        <form method="post" action="/people/\(id)/photo\(query)" enctype="multipart/form-data" novalidate>\(Form.csrf(req))
        <div class="field\(error("photo") != nil ? HTML(unsafeRaw: " has-error") : .empty)">
        <label for="field-photo">Photo (JPEG, PNG or WebP, at most 4 MB)</label>
        \(error("photo").map { HTML("<p class=\"field-error\" id=\"field-photo-error\"><span class=\"visually-hidden\">Error: </span>\($0)</p>") } ?? .empty)
        <input id="field-photo" name="photo" type="file" accept="image/jpeg,image/png,image/webp"\(error("photo") != nil ? HTML(unsafeRaw: " aria-invalid=\"true\" aria-describedby=\"field-photo-error\"") : .empty)>
        </div>
        \(Form.text("description", "What the photo shows, in a few words", value: typed ?? photo, errors: errors, hint: "Read aloud to people who cannot see the photo. For example: Ada smiling in her garden.", required: true))
        <div class="actions"><button type="submit">Save the photo</button></div>
        </form>
        """
    }

    struct Upload: Content {
        var photo: File?
        var description: String?
    }

    static func upload(req: Request) async throws -> Response {
        let personID = try req.uuidParameter("personID", what: "person")
        let records = try req.records()
        let upload = try? req.content.decode(Upload.self)
        let data = upload?.photo.map { Data($0.data.readableBytesView) } ?? Data()
        do {
            _ = try await records.savePhoto(of: personID, data: data, description: upload?.description)
            return req.redirect(to: "/people/\(personID.text)/photo/edit?saved=1" + (req.query[String.self, at: "plan"].flatMap(UUID.init(uuidString:)).map { "&plan=\($0.text)" } ?? ""), redirectType: .normal)
        } catch let problem as Problem where problem.status == .unprocessableEntity {
            let (person, photo) = try await records.photoForm(of: personID)
            let page = Layout.page(req, title: "Profile photo", main: page(req, person: person, photo: photo, errors: problem.errors, typed: upload?.description))
            return try await PeoplePages.respond(page, status: .unprocessableEntity, req: req)
        }
    }

    static func remove(req: Request) async throws -> Response {
        let personID = try req.uuidParameter("personID", what: "person")
        try await req.records().removePhoto(of: personID)
        return req.redirect(to: "/people/\(personID.text)/photo/edit?saved=removed" + (req.query[String.self, at: "plan"].flatMap(UUID.init(uuidString:)).map { "&plan=\($0.text)" } ?? ""), redirectType: .normal)
    }
}

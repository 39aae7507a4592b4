/// The portal's only script, small and optional: words typed into a form are kept in this tab while
/// they are typed, so a session that ran out (or a lost connection) does not lose them; they are put
/// back when the form shows again, and forgotten once the page says the form was saved. It also makes
/// "Print" buttons print. Without it every page works the same.
enum PortalScript {
    static let drafts = """
    (function () {
      "use strict";
      var store;
      try { store = window.sessionStorage; } catch (e) { return; }
      function key(form, field) { return "lantern-draft:" + form.getAttribute("action") + ":" + field.name; }
      if (document.querySelector("[data-drafts-saved]")) {
        for (var i = store.length - 1; i >= 0; i--) {
          var k = store.key(i);
          if (k && k.indexOf("lantern-draft:") === 0) { store.removeItem(k); }
        }
      }
      document.querySelectorAll("form[data-drafts]").forEach(function (form) {
        form.querySelectorAll("textarea, input[type=text]").forEach(function (field) {
          var saved = store.getItem(key(form, field));
          if (saved !== null && field.value === "") { field.value = saved; }
          field.addEventListener("input", function () { store.setItem(key(form, field), field.value); });
        });
      });
      document.querySelectorAll("[data-print]").forEach(function (button) {
        button.hidden = false;
        button.addEventListener("click", function () { window.print(); });
      });
    })();
    """
}

// What every tab of the run page shares: the edit dialog and delete (shown only to people
// the core lets write or delete), and the live state in the header.
import { el, pageData, sendJSON, showError } from "./ui.js";
import "./live.js";

const data = pageData();

function setupEdit() {
  const button = document.getElementById("edit-run");
  const dialog = document.getElementById("edit-dialog");
  if (!button || !dialog) return;
  const form = document.getElementById("edit-form");
  button.addEventListener("click", () => {
    form.display_name.value = data.edit.display_name;
    form.tags.value = data.edit.tags.join(", ");
    form.notes.value = data.edit.notes;
    document.getElementById("edit-error").replaceChildren();
    dialog.showModal();
  });
  document.getElementById("edit-cancel").addEventListener("click", () => dialog.close());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const tags = form.tags.value.split(",").map((t) => t.trim()).filter(Boolean);
    try {
      await sendJSON("POST", `${data.api}/update`, {
        display_name: form.display_name.value, notes: form.notes.value, tags });
      location.reload();
    } catch (error) { showError(document.getElementById("edit-error"), error); }
  });
}

function setupDelete() {
  const button = document.getElementById("delete-run");
  if (!button) return;
  button.addEventListener("click", async () => {
    if (!confirm(`Delete run ${data.display_name}? Its history, files and logs are removed for good.`)) return;
    try {
      await sendJSON("POST", `${data.api}/delete`, {});
      location.href = button.closest("body").querySelector('[data-nav="project"]').href;
    } catch (error) { alert(error.message); }
  });
}

setupEdit();
setupDelete();

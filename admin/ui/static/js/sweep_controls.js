// The sweep's controls: pause, resume, stop and cancel, each shown only where it applies
// (as `wandb sweep --pause/--resume/--stop/--cancel` allow), posted with the page's CSRF token.
// Cancel asks first: it kills the running runs.
import { sendJSON, showError } from "./ui.js";

const APPLIES = { pause: ["RUNNING"], resume: ["PAUSED"], stop: ["RUNNING", "PAUSED"], cancel: ["RUNNING", "PAUSED"] };

export function setControlsState(state) {
  const box = document.getElementById("sweep-controls");
  if (!box) return;
  box.dataset.state = state;
  for (const button of box.querySelectorAll("button[data-action]")) {
    button.hidden = !APPLIES[button.dataset.action].includes(state);
  }
}

export function initControls(api, onChanged) {
  const box = document.getElementById("sweep-controls");
  if (!box) return;
  const errors = document.getElementById("sweep-control-error");
  setControlsState(box.dataset.state);
  box.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const action = button.dataset.action;
    if (action === "cancel" && !confirm("Cancel this sweep? Its running runs are killed and no new ones start.")) return;
    box.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    try {
      const answer = await sendJSON("POST", api, { action });
      errors.replaceChildren();
      setControlsState(answer.sweep.state);
      onChanged(answer.sweep);
    } catch (error) {
      showError(errors, error);
    } finally {
      box.querySelectorAll("button").forEach((b) => { b.disabled = false; });
    }
  });
}

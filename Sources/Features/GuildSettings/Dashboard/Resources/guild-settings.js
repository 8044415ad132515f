// Guild settings: module toggles and the owner's access grants, through the JSON API.
(function () {
  "use strict";
  const { call, show, guild } = window.Guildhall;

  // Module toggles: the row re-reads /modules after each write.
  async function rereadModules() {
    const view = await call("GET", "/api/v1/guilds/" + guild + "/modules");
    for (const module of view.modules) {
      const row = document.querySelector('[data-module="' + module.id + '"]');
      if (!row) continue;
      const state = row.querySelector(".state");
      state.textContent = module.enabled ? "On" : "Off";
      state.classList.toggle("on", module.enabled);
      const button = row.querySelector("button[data-toggle]");
      if (button) {
        button.dataset.enabled = String(module.enabled);
        button.textContent = module.enabled ? "Turn off" : "Turn on";
      }
    }
  }

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-toggle]");
    if (!button) return;
    const row = button.closest("[data-module]");
    const status = row.querySelector(".status");
    const wanted = button.dataset.enabled !== "true";
    button.disabled = true;
    show(status, "loading", "Saving…");
    try {
      await call("PUT", "/api/v1/guilds/" + guild + "/modules/" + row.dataset.module, { enabled: wanted });
      await rereadModules();
      show(status, "success", "Saved");
    } catch (error) {
      show(status, "error", error.message);
      await rereadModules().catch(() => {});
    } finally {
      button.disabled = false;
    }
  });

  // Grants (owner only): add or change, and remove; then the page loads again.
  const grantForm = document.querySelector("form[data-grant]");
  if (grantForm) {
    grantForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const status = grantForm.querySelector(".status");
      const user = grantForm.elements.user.value.trim();
      show(status, "loading", "Saving…");
      try {
        await call("PUT", "/api/v1/guilds/" + guild + "/grants/" + encodeURIComponent(user), { level: grantForm.elements.level.value });
        location.reload();
      } catch (error) {
        show(status, "error", error.message);
      }
    });
  }
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-remove-grant]");
    if (!button) return;
    const status = button.parentElement.querySelector(".status");
    button.disabled = true;
    show(status, "loading", "Removing…");
    try {
      await call("DELETE", "/api/v1/guilds/" + guild + "/grants/" + button.dataset.removeGrant);
      location.reload();
    } catch (error) {
      show(status, "error", error.message);
      button.disabled = false;
    }
  });
})();

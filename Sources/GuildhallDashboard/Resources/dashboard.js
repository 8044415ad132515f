// Guildhall dashboard: writes go through the JSON API with the session's CSRF token; after
// every write the page reads the backend again, so it shows the truth, not a guess.
(function () {
  "use strict";
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";
  const guild = document.body.dataset.guild || "";

  async function call(method, path, body) {
    const response = await fetch(path, {
      method, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      const failure = await response.json().catch(() => null);
      throw new Error(failure?.error?.message || "The server answered " + response.status);
    }
    return response.status === 204 ? null : response.json();
  }

  function show(status, kind, text) {
    status.className = "status " + kind;
    status.textContent = text;
  }

  // Feature scripts loaded after this one use the same helpers.
  window.Guildhall = { call, show, guild, csrf };

  // Operators: replay a dead letter, then read the list again.
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-replay]");
    if (!button) return;
    const status = button.parentElement.querySelector(".status");
    button.disabled = true;
    show(status, "loading", "Replaying…");
    try {
      await call("POST", "/api/v1/operator/jobs/dead/" + encodeURIComponent(button.dataset.replay) + "/replay");
      location.reload();
    } catch (error) {
      show(status, "error", error.message);
      button.disabled = false;
    }
  });

  const logout = document.querySelector("form[data-logout]");
  if (logout) {
    logout.addEventListener("submit", async (event) => {
      event.preventDefault();
      await call("POST", "/auth/logout").catch(() => {});
      location.href = "/dashboard";
    });
  }
})();

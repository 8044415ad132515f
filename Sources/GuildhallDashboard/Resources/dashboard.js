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

  // Leveling settings: the form shows what the API returns; saving sends the whole
  // document, then reads it back so the form shows what was stored.
  const leveling = document.querySelector("form[data-leveling]");
  if (leveling) {
    const lines = (text) => text.split(/[\n,]+/).map((line) => line.trim()).filter((line) => line.length > 0);
    const pairs = (text) => lines(text.replace(/,/g, "\n")).map((line) => line.split(/\s+/));
    const fill = (config) => {
      const f = leveling.elements;
      f.xp_min.value = config.xp_min;
      f.xp_max.value = config.xp_max;
      f.cooldown_seconds.value = config.cooldown_seconds;
      f.ignored_channels.value = config.ignored_channels.join("\n");
      f.ignored_roles.value = config.ignored_roles.join("\n");
      f.multipliers.value = config.multipliers.map((m) => m.role_id + " " + m.percent).join("\n");
      f.mode.value = config.announcement.mode;
      f.channel_id.value = config.announcement.channel_id || "";
      f.template.value = config.announcement.template;
      f.rewards.value = config.rewards.map((r) => r.level + " " + r.role_id).join("\n");
      f.reward_mode.value = config.reward_mode;
      f.public_leaderboard.checked = config.public_leaderboard;
      f.voice_xp_per_minute.value = config.voice_xp_per_minute;
    };
    const read = () => {
      const f = leveling.elements;
      const number = (value) => (/^-?\d+$/.test(value.trim()) ? Number(value) : value);
      return {
        xp_min: number(f.xp_min.value), xp_max: number(f.xp_max.value), cooldown_seconds: number(f.cooldown_seconds.value),
        ignored_channels: lines(f.ignored_channels.value), ignored_roles: lines(f.ignored_roles.value),
        multipliers: pairs(f.multipliers.value).map(([role, percent]) => ({ role_id: role, percent: number(percent || "") })),
        announcement: { mode: f.mode.value, channel_id: f.channel_id.value.trim() || null, template: f.template.value },
        rewards: pairs(f.rewards.value).map(([level, role]) => ({ level: number(level), role_id: role || "" })),
        reward_mode: f.reward_mode.value, public_leaderboard: f.public_leaderboard.checked,
        voice_xp_per_minute: number(f.voice_xp_per_minute.value),
      };
    };
    const status = leveling.querySelector(".status");
    const reread = async () => fill((await call("GET", "/api/v1/guilds/" + guild + "/leveling")).config);
    show(status, "loading", "Loading…");
    reread().then(() => show(status, "", ""), (error) => show(status, "error", error.message));
    leveling.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = leveling.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      show(status, "loading", "Saving…");
      try {
        await call("PUT", "/api/v1/guilds/" + guild + "/leveling", read());
        await reread();
        show(status, "success", "Saved");
      } catch (error) {
        show(status, "error", error.message);
      } finally {
        if (button) button.disabled = false;
      }
    });
  }

  const logout = document.querySelector("form[data-logout]");
  if (logout) {
    logout.addEventListener("submit", async (event) => {
      event.preventDefault();
      await call("POST", "/auth/logout").catch(() => {});
      location.href = "/dashboard";
    });
  }
})();

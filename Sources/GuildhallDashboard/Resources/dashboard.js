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

  // Giveaways: the list is drawn from the API and read again after every action; the
  // form sends times as seconds since 1970, read from the same forms /giveaway takes.
  const giveawayTable = document.querySelector("table[data-giveaways]");
  if (giveawayTable) {
    const base = "/api/v1/guilds/" + guild + "/giveaways";
    const listStatus = document.querySelector("[data-giveaway-status]");
    const units = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
    const when = (text, from) => {
      const trimmed = text.trim().toLowerCase();
      if (/^(\s*\d+\s*[smhdw])+\s*$/.test(trimmed)) {
        let total = 0;
        for (const [, amount, unit] of trimmed.matchAll(/(\d+)\s*([smhdw])/g)) total += Number(amount) * units[unit];
        return from + total;
      }
      if (/^\d{9,}$/.test(trimmed)) return Number(trimmed);
      let iso = trimmed.toUpperCase().replace(" ", "T");
      if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) iso += "T00:00";
      if (!/(Z|[+-]\d{2}:?\d{2})$/.test(iso)) iso += "Z";
      const parsed = Date.parse(iso);
      if (Number.isNaN(parsed)) throw new Error("'" + text + "' is not a duration (like 90m, 2d) or a time (like 2026-12-24 18:00)");
      return Math.round(parsed / 1000);
    };
    const cell = (row, text) => {
      const td = document.createElement("td");
      td.textContent = text;
      row.appendChild(td);
      return td;
    };
    const day = (ms) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");
    const draw = (view) => {
      const body = giveawayTable.querySelector("tbody");
      body.replaceChildren();
      const limits = document.querySelector("[data-giveaway-limits]");
      limits.textContent = "This plan allows " + view.limits.running + " giveaways at once, " + view.limits.winners + " winners each, "
        + view.limits.days + " days long.";
      const settings = document.querySelector("form[data-giveaway-settings]");
      if (settings) settings.elements.manager_role_id.value = view.manager_role_id || "";
      if (view.giveaways.length === 0) {
        const row = body.insertRow();
        const td = cell(row, "No giveaways yet.");
        td.colSpan = 7;
        td.className = "muted";
      }
      for (const giveaway of view.giveaways) {
        const row = body.insertRow();
        row.dataset.giveaway = giveaway.id;
        cell(row, "#" + giveaway.id);
        cell(row, giveaway.prize);
        cell(row, giveaway.status);
        cell(row, String(giveaway.entries));
        cell(row, day(giveaway.ends_at));
        const winners = (giveaway.winner_ids || []).concat(giveaway.reroll_winner_ids);
        cell(row, winners.length ? winners.join(", ") : giveaway.winner_ids ? "nobody" : "");
        const actions = cell(row, "");
        const button = (action, label) => {
          const b = document.createElement("button");
          b.type = "button";
          b.dataset.action = action;
          b.dataset.id = giveaway.id;
          b.textContent = label;
          actions.appendChild(b);
        };
        if (view.can_manage && (giveaway.status === "running" || giveaway.status === "scheduled")) {
          button("end", "End now");
          button("cancel", "Cancel");
        }
        if (view.can_manage && giveaway.status === "ended" && giveaway.winner_ids) button("reroll", "Reroll");
        button("entrants", "Entrants");
      }
    };
    const reread = async () => {
      const view = await call("GET", base);
      draw(view);
      return view;
    };
    show(listStatus, "loading", "Loading…");
    reread().then(() => show(listStatus, "", ""), (error) => show(listStatus, "error", error.message));

    giveawayTable.addEventListener("click", async (event) => {
      const button = event.target.closest("button[data-action]");
      if (!button) return;
      const id = button.dataset.id;
      const action = button.dataset.action;
      button.disabled = true;
      try {
        if (action === "entrants") {
          const detail = await call("GET", base + "/" + id + "?page_size=500");
          const list = document.querySelector("[data-entrants]");
          list.replaceChildren(...detail.entrants.map((entrant) => {
            const item = document.createElement("li");
            item.textContent = entrant.user_id;
            return item;
          }));
          document.querySelector("[data-entrants-title]").textContent = "#" + id + " " + detail.giveaway.prize
            + " (" + detail.giveaway.entries + ")";
          document.querySelector("#entrants").hidden = false;
          return;
        }
        show(listStatus, "loading", action === "end" ? "Ending…" : action === "reroll" ? "Rerolling…" : "Cancelling…");
        await call("POST", base + "/" + id + "/" + action, action === "reroll" ? { count: 1 } : undefined);
        let view = await reread();
        // The ending runs as a job, which marks it ended and then draws: read again until
        // the winners show (a few seconds at most).
        for (let tries = 0; action === "end" && tries < 20; tries++) {
          const ended = view.giveaways.find((g) => String(g.id) === id);
          if (ended?.status === "ended" && ended.winner_ids != null) break;
          await new Promise((resolve) => setTimeout(resolve, 500));
          view = await reread();
        }
        show(listStatus, "success", action === "end" ? "Ended" : action === "reroll" ? "Rerolled" : "Cancelled");
      } catch (error) {
        show(listStatus, "error", error.message);
      } finally {
        button.disabled = false;
      }
    });

    const create = document.querySelector("form[data-giveaway-create]");
    if (create) {
      create.addEventListener("submit", async (event) => {
        event.preventDefault();
        const status = create.querySelector(".status");
        const f = create.elements;
        const number = (value) => (value.trim() === "" ? null : /^\d+$/.test(value.trim()) ? Number(value) : value);
        try {
          const now = Math.round(Date.now() / 1000);
          const starts = f.starts.value.trim() ? when(f.starts.value, now) : null;
          const body = {
            prize: f.prize.value, winners: number(f.winners.value), channel_id: f.channel_id.value, starts_at: starts,
            ends_at: when(f.ends.value, starts || now),
            requirements: {
              role_id: f.role_id.value || null, minimum_level: number(f.minimum_level.value),
              account_age_days: number(f.account_age_days.value), member_days: number(f.member_days.value),
            },
          };
          show(status, "loading", "Starting…");
          const created = await call("POST", base, body);
          await reread();
          show(status, "success", "Started #" + created.id);
        } catch (error) {
          show(status, "error", error.message);
        }
      });
    }

    const settings = document.querySelector("form[data-giveaway-settings]");
    if (settings) {
      settings.addEventListener("submit", async (event) => {
        event.preventDefault();
        const status = settings.querySelector(".status");
        try {
          await call("PUT", base + "/settings", { manager_role_id: settings.elements.manager_role_id.value || null });
          await reread();
          show(status, "success", "Saved");
        } catch (error) {
          show(status, "error", error.message);
        }
      });
    }
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

// Giveaways: the start form, the list with its actions, and the manager role.
(function () {
  "use strict";
  const { call, show, guild } = window.Guildhall;

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
})();

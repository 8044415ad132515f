// Leveling: the settings form, filled from the API and read back after each save.
(function () {
  "use strict";
  const { call, show, guild } = window.Guildhall;

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
})();

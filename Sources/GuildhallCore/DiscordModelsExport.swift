// `Snowflake` lives with Discord's models, which depend on no Guildhall target; the
// platform's vocabulary re-exports them so every target that imports the core has it.
@_exported import GuildhallDiscordModels

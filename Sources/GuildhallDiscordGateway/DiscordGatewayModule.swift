/// Namespace marker for this target until its first types land (issue #3).
enum DiscordGatewayModule {}

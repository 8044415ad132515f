/// Namespace marker for the jobs target until its first types land (issue #4).
enum JobsModule {}

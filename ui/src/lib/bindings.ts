// Generated from the Rust types in src/ by `cargo xtask gen-types`. Do not edit.

export type AppInfo = { version: string, 
/**
 * Where the database is: a file path for SQLite.
 */
database: string, };

export type Municipality = { code: number, name: string, region_code: number, region_name: string, };

export type Overview = { households: number, persons: number, missions: number, municipalities: number, by_priority: PriorityCounts, period: PeriodSummary | null, };

export type PeriodSummary = { start_year: number, end_year: number, total_places: number, };

export type PriorityCounts = { emergency: number, urgent: number, normal: number, };

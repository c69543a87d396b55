//! UNHCR priority deadlines: the limit from submission to departure, and where a case
//! stands against it.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{CaseStatus, Priority};

code_enum! {
    /// A case against its deadline. Open cases are on track, at risk (less than a quarter
    /// of the time left) or overdue; departed cases met or missed it.
    DeadlineStatus {
        Overdue => "overdue",
        AtRisk => "at_risk",
        OnTrack => "on_track",
        Met => "met",
        Missed => "missed",
    }
}

/// The last day a case of this priority, submitted on this day, should depart: emergency
/// 7 days, urgent 6 weeks, normal 12 months.
pub fn deadline(priority: Priority, submitted: NaiveDate) -> NaiveDate {
    match priority {
        Priority::Emergency => submitted + chrono::Days::new(7),
        Priority::Urgent => submitted + chrono::Days::new(42),
        // Adding months keeps the day of the month, clamped to the month's end.
        Priority::Normal => submitted
            .checked_add_months(Months::new(12))
            .expect("a date twelve months on is representable"),
    }
}

/// Where a case stands on `today`. A departed case is judged on its departure day.
pub fn status(
    priority: Priority,
    submitted: NaiveDate,
    departed: Option<NaiveDate>,
    today: NaiveDate,
) -> DeadlineStatus {
    let due = deadline(priority, submitted);
    if let Some(day) = departed {
        return if day <= due {
            DeadlineStatus::Met
        } else {
            DeadlineStatus::Missed
        };
    }
    if today > due {
        return DeadlineStatus::Overdue;
    }
    let allowed = (due - submitted).num_days();
    let left = (due - today).num_days();
    // Less than a quarter of the time left: compare 4 × left with the whole, in integers.
    if 4 * left < allowed {
        DeadlineStatus::AtRisk
    } else {
        DeadlineStatus::OnTrack
    }
}

/// The submission days that divide open cases of one priority on `today`: a case
/// submitted before `overdue_before` is overdue, one submitted from then until before
/// `at_risk_before` is at risk, later ones are on track. The store counts with these
/// (a range on an index instead of every case's `status`); they come from `status`
/// itself, so the rule stays in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cutoffs {
    pub overdue_before: NaiveDate,
    pub at_risk_before: NaiveDate,
}

/// The cut-offs of `priority` on `today`. A later submission is never worse off against
/// its deadline than an earlier one, so the first day `status` gives something better
/// is the cut-off; the walk starts past the longest limit (12 months) and is at most a
/// few hundred days.
pub fn cutoffs(priority: Priority, today: NaiveDate) -> Cutoffs {
    let on = |day: NaiveDate| status(priority, day, None, today);
    let mut day = today - chrono::Days::new(400);
    while on(day) == DeadlineStatus::Overdue {
        day = day.succ_opt().expect("a day after a representable day");
    }
    let overdue_before = day;
    while on(day) == DeadlineStatus::AtRisk {
        day = day.succ_opt().expect("a day after a representable day");
    }
    Cutoffs {
        overdue_before,
        at_risk_before: day,
    }
}

/// Whether a case in this status still has a departure ahead of it.
pub fn is_open(status: CaseStatus) -> bool {
    !matches!(
        status,
        CaseStatus::Rejected | CaseStatus::Withdrawn | CaseStatus::Departed | CaseStatus::Arrived
    )
}

/// One line of the deadline list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CaseDeadline {
    pub case_id: Uuid,
    pub unhcr_case_no: String,
    pub priority: Priority,
    pub case_status: CaseStatus,
    pub submission_date: NaiveDate,
    pub deadline: NaiveDate,
    pub departed_on: Option<NaiveDate>,
    pub status: DeadlineStatus,
    /// Days from today to the deadline; negative when overdue.
    pub days_left: i32,
}

impl CaseDeadline {
    pub fn new(
        case_id: Uuid,
        unhcr_case_no: String,
        priority: Priority,
        case_status: CaseStatus,
        submission_date: NaiveDate,
        departed_on: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Self {
        let due = deadline(priority, submission_date);
        Self {
            case_id,
            unhcr_case_no,
            priority,
            case_status,
            submission_date,
            deadline: due,
            departed_on,
            status: status(priority, submission_date, departed_on, today),
            days_left: (due - today).num_days() as i32,
        }
    }
}

/// Most urgent first: the fewest days left, then the higher priority.
pub fn sort_by_urgency(list: &mut [CaseDeadline]) {
    list.sort_by(|a, b| {
        a.days_left
            .cmp(&b.days_left)
            .then(a.priority.cmp(&b.priority))
            .then(a.unhcr_case_no.cmp(&b.unhcr_case_no))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn deadlines_by_priority() {
        assert_eq!(
            deadline(Priority::Emergency, d("2026-01-30")),
            d("2026-02-06")
        );
        assert_eq!(deadline(Priority::Urgent, d("2026-01-01")), d("2026-02-12"));
        assert_eq!(deadline(Priority::Normal, d("2026-03-15")), d("2027-03-15"));
        // 29 February has no twin a year on: the deadline is the month's last day.
        assert_eq!(deadline(Priority::Normal, d("2028-02-29")), d("2029-02-28"));
    }

    #[test]
    fn status_moves_from_on_track_to_at_risk_to_overdue() {
        // Urgent: 42 days allowed; at risk when fewer than 10.5 days are left.
        let s = d("2026-01-01");
        let st = |today: &str| status(Priority::Urgent, s, None, d(today));
        assert_eq!(st("2026-01-01"), DeadlineStatus::OnTrack);
        assert_eq!(st("2026-02-01"), DeadlineStatus::OnTrack); // 11 days left
        assert_eq!(st("2026-02-02"), DeadlineStatus::AtRisk); // 10 days left
        assert_eq!(st("2026-02-12"), DeadlineStatus::AtRisk); // the last day
        assert_eq!(st("2026-02-13"), DeadlineStatus::Overdue);
        // Emergency: 7 days; at risk with 1 day left (4 × 1 < 7), not with 2 (8 ≥ 7).
        let e = |today: &str| status(Priority::Emergency, s, None, d(today));
        assert_eq!(e("2026-01-06"), DeadlineStatus::OnTrack);
        assert_eq!(e("2026-01-07"), DeadlineStatus::AtRisk);
    }

    #[test]
    fn cutoffs_divide_cases_exactly_as_status_does() {
        // Every priority, every day of two years (a leap day among them), and each
        // submission day of the 400 before: the cut-offs agree with `status` on all.
        let mut today = d("2027-01-01");
        while today < d("2029-01-01") {
            for p in [Priority::Emergency, Priority::Urgent, Priority::Normal] {
                let c = cutoffs(p, today);
                for back in 0..420 {
                    let s = today - chrono::Days::new(back);
                    let by_cutoffs = if s < c.overdue_before {
                        DeadlineStatus::Overdue
                    } else if s < c.at_risk_before {
                        DeadlineStatus::AtRisk
                    } else {
                        DeadlineStatus::OnTrack
                    };
                    assert_eq!(
                        by_cutoffs,
                        status(p, s, None, today),
                        "{p:?} {s} on {today}"
                    );
                }
            }
            today = today + chrono::Days::new(3);
        }
        // Urgent on 2026-02-13: submitted 2026-01-01 is the first day overdue.
        let c = cutoffs(Priority::Urgent, d("2026-02-13"));
        assert_eq!(c.overdue_before, d("2026-01-02"));
    }

    #[test]
    fn departed_cases_met_or_missed_whatever_today_is() {
        let s = d("2026-01-01");
        let today = d("2030-01-01");
        assert_eq!(
            status(Priority::Emergency, s, Some(d("2026-01-08")), today),
            DeadlineStatus::Met
        );
        assert_eq!(
            status(Priority::Emergency, s, Some(d("2026-01-09")), today),
            DeadlineStatus::Missed
        );
    }

    #[test]
    fn urgency_order_puts_overdue_first() {
        let today = d("2026-06-01");
        let case = |no: &str, p, s: &str| {
            CaseDeadline::new(
                Uuid::nil(),
                no.into(),
                p,
                CaseStatus::Submitted,
                d(s),
                None,
                today,
            )
        };
        let mut list = vec![
            case("normal", Priority::Normal, "2026-01-01"),
            case("overdue", Priority::Urgent, "2026-03-01"),
            case("emergency", Priority::Emergency, "2026-05-30"),
        ];
        sort_by_urgency(&mut list);
        let order: Vec<_> = list.iter().map(|c| c.unhcr_case_no.as_str()).collect();
        assert_eq!(order, ["overdue", "emergency", "normal"]);
        assert_eq!(list[0].status, DeadlineStatus::Overdue);
        assert_eq!(list[0].days_left, -50);
    }
}

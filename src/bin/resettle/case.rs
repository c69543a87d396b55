//! `resettle case ...`: a case from interview to arrival. `show` and `score` print the
//! dossier and the score card; every write prints what it recorded, or with `--json` the
//! same as JSON. Refusals exit non-zero with their code and field (see main.rs).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use clap::{ArgGroup, Subcommand};
use resettle::domain::consent::ReleaseItem;
use resettle::domain::decision::{DecisionRequest, Verdict};
use resettle::domain::dossier::{CaseQuery, Dossier};
use resettle::domain::scoring::ScoreCard;
use resettle::domain::screening::{ExclusionGround, FlagResolution};
use resettle::domain::{CaseStatus, Priority};
use resettle::session::Session;
use resettle::storage::{Change, Recorded, Store};
use serde_json::json;
use uuid::Uuid;

#[derive(Subcommand)]
pub enum CaseCommand {
    /// Everything held on a case.
    Show { case: String },
    /// Score the household under the rubric in force and record the score.
    Score { case: String },
    /// Find cases by number or name words, and filters.
    Search {
        text: Option<String>,
        #[arg(long)]
        status: Option<CaseStatus>,
        #[arg(long)]
        priority: Option<Priority>,
        #[arg(long)]
        nationality: Option<String>,
        #[arg(long)]
        mission: Option<Uuid>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Record an interview (or, for a dossier case, its examination).
    Interview {
        case: String,
        #[arg(long)]
        date: NaiveDate,
        #[arg(long)]
        interviewer: String,
        /// Sensitive notes: they never leave the agency.
        #[arg(long, default_value = "")]
        notes: String,
        /// An assessed criterion's level, as CRITERION=LEVEL (repeatable).
        #[arg(long = "assess", value_name = "CRITERION=LEVEL", value_parser = parse_assessment)]
        assessments: Vec<(String, String)>,
    },
    /// Record what is known of a member's medical needs (member numbers count from 1, as
    /// `case show` lists them): the special needs, and whether a TOM programme patient.
    Needs {
        case: String,
        #[arg(long)]
        member: u32,
        /// The special needs; omitted, they are cleared.
        #[arg(long)]
        needs: Option<String>,
        #[arg(long)]
        tom: bool,
    },
    /// A member's confidential information: what they asked to be kept from the rest of the
    /// household. Shown without --note or --clear; needs the confidential grant, and every
    /// read that shows a note is in the audit log.
    Confidential {
        case: String,
        /// The member's number, from 1, as `case show` lists them (shown: every member's).
        #[arg(long, required_unless_present = "show_all")]
        member: Option<u32>,
        /// Record this text as the member's confidential information, replacing any.
        #[arg(long, conflicts_with = "clear")]
        note: Option<String>,
        /// Clear the member's confidential information.
        #[arg(long)]
        clear: bool,
        /// Show every member's confidential information.
        #[arg(long = "all", conflicts_with_all = ["member", "note", "clear"])]
        show_all: bool,
    },
    /// Raise an exclusion screening flag.
    Flag {
        case: String,
        #[arg(long)]
        ground: ExclusionGround,
        #[arg(long)]
        note: String,
    },
    /// Record the reasoned decision on a screening flag.
    #[command(group(ArgGroup::new("resolution").required(true).args(["cleared", "excluded"])))]
    DecideFlag {
        case: String,
        #[arg(long)]
        flag: Uuid,
        #[arg(long)]
        cleared: bool,
        #[arg(long)]
        excluded: bool,
        #[arg(long)]
        by: String,
        #[arg(long)]
        reason: String,
    },
    /// Accept, reject or defer. An acceptance charges the quota.
    #[command(group(ArgGroup::new("verdict").required(true).args(["accept", "reject", "defer"])))]
    Decide {
        case: String,
        #[arg(long)]
        accept: bool,
        #[arg(long)]
        reject: bool,
        #[arg(long)]
        defer: bool,
        #[arg(long)]
        by: String,
        #[arg(long)]
        reason: String,
        /// The quota year to charge (default: the open year of this year's period).
        #[arg(long)]
        quota_year: Option<i32>,
        /// For a split acceptance, a member accepted (repeatable; default all).
        #[arg(long = "member", value_name = "PERSON_ID")]
        members: Vec<Uuid>,
    },
    /// Departure arrangements have started (medical, travel documents, orientation).
    Prepare {
        case: String,
        #[arg(long, default_value = "departure arrangements started")]
        reason: String,
    },
    /// The household departed.
    Depart {
        case: String,
        #[arg(long)]
        date: NaiveDate,
        #[arg(long, default_value = "departed")]
        reason: String,
    },
    /// The household arrived: its committed places become used.
    Arrive {
        case: String,
        #[arg(long)]
        date: NaiveDate,
        #[arg(long, default_value = "arrived")]
        reason: String,
    },
    /// The case is withdrawn: its committed places are released.
    Withdraw {
        case: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        date: Option<NaiveDate>,
    },
    /// Record what the household releases to the receiving municipality.
    Consent {
        case: String,
        /// An item released (repeatable): special_needs.
        #[arg(long = "release", required = true)]
        released: Vec<ReleaseItem>,
        /// The ISO 639 code of the language the consent was given in.
        #[arg(long)]
        language: String,
    },
    /// Withdraw a consent.
    WithdrawConsent {
        case: String,
        #[arg(long)]
        consent: Uuid,
    },
    /// Record that an adult member signed the declaration.
    Declare {
        case: String,
        #[arg(long)]
        person: Uuid,
        #[arg(long)]
        date: NaiveDate,
        #[arg(long)]
        place: String,
    },
}

fn parse_assessment(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .filter(|(k, v)| !k.is_empty() && !v.is_empty())
        .ok_or_else(|| format!("{s:?} is not CRITERION=LEVEL"))
}

pub async fn run(
    store: &Store,
    session: &Session,
    command: CaseCommand,
    as_json: bool,
) -> anyhow::Result<()> {
    let user = session.actor().to_owned();
    match command {
        CaseCommand::Show { case } => {
            let d = store
                .dossier(&case, session.today(), session.actor())
                .await?;
            if as_json {
                println!("{}", serde_json::to_string_pretty(&d)?);
            } else {
                print_dossier(&d);
            }
        }
        CaseCommand::Score { case } => {
            let s = store.score_case(&case, session.today(), &user).await?;
            if as_json {
                println!("{}", serde_json::to_string_pretty(&s)?);
            } else {
                print_card(&s.card);
            }
        }
        CaseCommand::Search {
            text,
            status,
            priority,
            nationality,
            mission,
            limit,
        } => {
            let query = CaseQuery {
                text,
                nationality,
                priority,
                status,
                mission,
                limit: Some(limit),
            };
            let found = store.search_cases(&query, session.actor()).await?;
            if as_json {
                println!("{}", serde_json::to_string_pretty(&found)?);
            } else {
                println!("{} cases", found.total);
                for r in &found.rows {
                    println!(
                        "{:<14} {:<28} {:>2}  {}  {:<9}  {:<17} {}",
                        r.unhcr_case_no,
                        r.principal,
                        r.members,
                        r.nationality,
                        r.priority,
                        r.status,
                        r.submission_date
                    );
                }
            }
        }
        CaseCommand::Interview {
            case,
            date,
            interviewer,
            notes,
            assessments,
        } => {
            let assessments: BTreeMap<String, String> = assessments.into_iter().collect();
            let i = store
                .record_interview(
                    &case,
                    date,
                    &interviewer,
                    &notes,
                    assessments,
                    session.today(),
                    &user,
                )
                .await?;
            done(
                as_json,
                json!({ "ok": true, "interview": i.id }),
                &format!("Interview recorded on {case}."),
            );
        }
        CaseCommand::Needs {
            case,
            member,
            needs,
            tom,
        } => {
            let needs = resettle::domain::checkin::Needs {
                special_needs: needs,
                tom_patient: tom,
            };
            store
                .set_medical_needs(&case, member, &needs, &user)
                .await?;
            done(
                as_json,
                json!({ "ok": true }),
                &format!("Medical needs of member {member} of {case} recorded."),
            );
        }
        CaseCommand::Confidential {
            case,
            member,
            note,
            clear,
            show_all: _,
        } => match (member, note, clear) {
            (Some(member), note, clear) if note.is_some() || clear => {
                store
                    .set_confidential_note(&case, member, note.as_deref(), &user)
                    .await?;
                let what = if clear { "cleared" } else { "recorded" };
                done(
                    as_json,
                    json!({ "ok": true, "member": member, "confidential": what }),
                    &format!("Confidential information of member {member} of {case} {what}."),
                );
            }
            (member, _, _) => {
                let notes = store.confidential_notes(&case, member, &user).await?;
                if as_json {
                    println!("{}", json!({ "ok": true, "notes": notes }));
                } else if notes.is_empty() {
                    println!("No confidential information is recorded for {case}.");
                } else {
                    for n in notes {
                        println!(
                            "Member {} (recorded by {} on {}):\n  {}",
                            n.member,
                            n.recorded_by,
                            n.recorded_at.format("%Y-%m-%d"),
                            n.note
                        );
                    }
                }
            }
        },
        CaseCommand::Flag { case, ground, note } => {
            let f = store.raise_flag(&case, ground, &note, &user).await?;
            done(
                as_json,
                json!({ "ok": true, "flag": f.id }),
                &format!(
                    "Flag {} ({ground}) raised on {case}; it blocks acceptance until decided.",
                    f.id
                ),
            );
        }
        CaseCommand::DecideFlag {
            case,
            flag,
            cleared,
            by,
            reason,
            ..
        } => {
            let resolution = if cleared {
                FlagResolution::Cleared
            } else {
                FlagResolution::Excluded
            };
            store
                .decide_flag(&case, flag, resolution, &by, &reason, session.actor())
                .await?;
            done(
                as_json,
                json!({ "ok": true, "flag": flag, "resolution": resolution }),
                &format!("Flag {flag} on {case}: {resolution}."),
            );
        }
        CaseCommand::Decide {
            case,
            accept,
            reject,
            by,
            reason,
            quota_year,
            members,
            ..
        } => {
            let verdict = if accept {
                Verdict::Accept
            } else if reject {
                Verdict::Reject
            } else {
                Verdict::Defer
            };
            let request = DecisionRequest {
                verdict,
                by,
                reasons: reason,
                accepted: (!members.is_empty()).then_some(members),
            };
            let decided = store
                .decide_case(&case, request, quota_year, session.today(), session.actor())
                .await?;
            if as_json {
                println!(
                    "{}",
                    json!({
                        "ok": true,
                        "decision": decided.decision,
                        "quota": decided.quota.as_ref().map(|r| &r.status),
                    })
                );
            } else {
                let d = &decided.decision;
                println!("{case}: {} by {}.", d.verdict, d.by);
                if verdict == Verdict::Accept {
                    println!(
                        "{} persons accepted and charged to the quota.",
                        d.accepted.len()
                    );
                }
            }
        }
        CaseCommand::Prepare { case, reason } => {
            moved(
                store,
                session,
                &case,
                CaseStatus::PendingDeparture,
                session.today(),
                &reason,
                as_json,
            )
            .await?
        }
        CaseCommand::Depart { case, date, reason } => {
            moved(
                store,
                session,
                &case,
                CaseStatus::Departed,
                date,
                &reason,
                as_json,
            )
            .await?
        }
        CaseCommand::Arrive { case, date, reason } => {
            moved(
                store,
                session,
                &case,
                CaseStatus::Arrived,
                date,
                &reason,
                as_json,
            )
            .await?
        }
        CaseCommand::Withdraw { case, reason, date } => {
            let on = date.unwrap_or_else(|| session.today());
            moved(
                store,
                session,
                &case,
                CaseStatus::Withdrawn,
                on,
                &reason,
                as_json,
            )
            .await?
        }
        CaseCommand::Consent {
            case,
            released,
            language,
        } => {
            let c = store
                .record_consent(&case, released, &language, &user)
                .await?;
            done(
                as_json,
                json!({ "ok": true, "consent": c.id }),
                &format!("Consent {} recorded on {case}.", c.id),
            );
        }
        CaseCommand::WithdrawConsent { case, consent } => {
            store.withdraw_consent(&case, consent, &user).await?;
            done(
                as_json,
                json!({ "ok": true, "consent": consent }),
                &format!("Consent {consent} on {case} withdrawn."),
            );
        }
        CaseCommand::Declare {
            case,
            person,
            date,
            place,
        } => {
            store
                .sign_declaration(&case, person, date, &place, session.today(), &user)
                .await?;
            done(
                as_json,
                json!({ "ok": true, "person": person }),
                &format!("Declaration of {person} on {case} recorded."),
            );
        }
    }
    Ok(())
}

async fn moved(
    store: &Store,
    session: &Session,
    case: &str,
    to: CaseStatus,
    on: NaiveDate,
    reason: &str,
    as_json: bool,
) -> anyhow::Result<()> {
    let user = session.actor().to_owned();
    let change = Change {
        author: &user,
        reason,
    };
    let recorded: Option<Recorded> = store.move_case(case, to, on, &change).await?;
    done(
        as_json,
        json!({ "ok": true, "case": case, "status": to, "quota": recorded.as_ref().map(|r| &r.status) }),
        &format!(
            "{case} is {to}{}.",
            match (&recorded, to) {
                (Some(r), CaseStatus::Arrived) =>
                    format!("; {} ledger entries: places used", r.entries),
                (Some(r), _) => format!("; {} ledger entries: places released", r.entries),
                _ => String::new(),
            }
        ),
    );
    Ok(())
}

fn done(as_json: bool, value: serde_json::Value, text: &str) {
    if as_json {
        println!("{value}");
    } else {
        println!("{text}");
    }
}

fn print_dossier(d: &Dossier) {
    let h = &d.household;
    println!(
        "{}  RRF {}  {} in {}  {}  {}  {}",
        h.unhcr_case_no,
        h.rrf_ref,
        h.nationality,
        h.country_of_asylum,
        h.priority,
        h.route,
        h.status
    );
    if let Some(m) = &d.mission {
        println!(
            "Mission      {}{}",
            m.name,
            if m.strategic { " (strategic)" } else { "" }
        );
    }
    println!(
        "Deadline     {} ({})",
        d.deadline.deadline, d.deadline.status
    );
    for e in &d.erasures {
        println!(
            "Erased       {} ({}) on {} by {}",
            e.scope,
            e.rule,
            e.erased_at.format("%Y-%m-%d"),
            e.erased_by
        );
    }
    println!("Members");
    for p in &h.members {
        println!(
            "  {:<10} {} {}  {}  {}  {}  {} years{}",
            p.relationship.code(),
            p.given_name,
            p.family_name,
            p.sex,
            p.date_of_birth,
            p.languages.join(";"),
            p.education_years,
            if p.tom_patient { "  TOM" } else { "" }
        );
    }
    println!("Interviews   {}", d.interviews.len());
    for f in &d.flags {
        let state = f.decision.as_ref().map_or("undecided".to_owned(), |x| {
            format!("{} by {}", x.resolution, x.by)
        });
        println!("Flag         {} ({state})", f.ground);
    }
    match &d.score {
        Some(s) => println!(
            "Score        {} ({} of {}, rubric v{})",
            s.card.assessment, s.card.total, s.card.max, s.card.rubric_version
        ),
        None => println!("Score        none"),
    }
    for x in &d.decisions {
        println!("Decision     {} by {}: {}", x.verdict, x.by, x.reasons);
    }
    for c in &d.commitments {
        println!(
            "Quota        {} {} {} places{}",
            c.year,
            c.sub_quota,
            c.places,
            if c.used { " used" } else { " committed" }
        );
    }
    println!(
        "Declarations {} of {} adults",
        d.declarations.len(),
        d.adults.len()
    );
    for c in &d.consents {
        let items: Vec<&str> = c.released.iter().map(|i| i.code()).collect();
        println!(
            "Consent      {} ({}){}",
            items.join(", "),
            c.language,
            if c.withdrawn.is_some() {
                " withdrawn"
            } else {
                ""
            }
        );
    }
}

fn print_card(card: &ScoreCard) {
    println!("{}", card.summary.en);
    for c in &card.criteria {
        println!(
            "  {:<40} {:>2}/{:<2} {}",
            c.name.en, c.weighted, c.max_weighted, c.explanation.en
        );
    }
}

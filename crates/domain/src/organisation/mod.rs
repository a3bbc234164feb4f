//! Cơ cấu tổ chức and Danh bạ: a site's units as a tree, the people serving in them (by the
//! site's today), the contact directory searched folded, and the leaders of past periods.

mod write;

pub use write::{Move, PersonForm, UnitForm};

use crate::text::fold_words;
use crate::{Clock, Error, Result};
use cong_store::organisation::{PersonId, PersonRow, UnitId, UnitKind, UnitRow};
use cong_store::{SiteId, Store};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::collections::HashMap;
use std::sync::Arc;

/// A unit with the people serving in it and its own units, in order.
#[derive(Debug, Clone)]
pub struct UnitNode {
    pub unit: UnitRow,
    /// Serving today, in order of precedence.
    pub people: Vec<PersonRow>,
    pub children: Vec<UnitNode>,
}

/// One unit's page: the unit, where it sits, its people and its own units.
#[derive(Debug, Clone)]
pub struct UnitPage {
    pub node: UnitNode,
    pub parent: Option<UnitRow>,
}

/// The site's units and people.
#[derive(Clone)]
pub struct Organisation {
    store: Store,
    clock: Arc<dyn Clock>,
    tz: TimeZone,
}

impl std::fmt::Debug for Organisation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Organisation").finish_non_exhaustive()
    }
}

/// Siblings are shown with the leadership first, then the departments, then the units
/// attached to the agency, each group in the order the editors set.
fn kind_rank(k: UnitKind) -> u8 {
    match k {
        UnitKind::Leadership => 0,
        UnitKind::Department => 1,
        UnitKind::Affiliate => 2,
    }
}

fn day(s: Option<&str>) -> Option<Date> {
    s.and_then(|s| s.parse::<Date>().ok())
}

/// Whether someone serves on `today`: started (or no start recorded) and not yet left (the
/// last day in office still counts).
pub fn serving(p: &PersonRow, today: Date) -> bool {
    day(p.served_from.as_deref()).is_none_or(|f| f <= today)
        && day(p.served_until.as_deref()).is_none_or(|u| u >= today)
}

/// Whether someone's time in office ended before `today`.
pub fn past(p: &PersonRow, today: Date) -> bool {
    day(p.served_until.as_deref()).is_some_and(|u| u < today)
}

/// The units in tree order (each unit followed by its own, depth first), with their depth.
pub fn tree_order(units: &[UnitRow]) -> Vec<(usize, &UnitRow)> {
    let mut by_parent: HashMap<Option<UnitId>, Vec<&UnitRow>> = HashMap::new();
    let known: std::collections::HashSet<UnitId> = units.iter().map(|u| u.id).collect();
    for u in units {
        // A parent that is gone (never, but a hand-edited database) puts the unit at the top.
        let parent = u.parent_id.filter(|p| known.contains(p));
        by_parent.entry(parent).or_default().push(u);
    }
    for list in by_parent.values_mut() {
        list.sort_by_key(|u| (kind_rank(u.kind), u.position, u.id));
    }
    let mut out = Vec::with_capacity(units.len());
    let mut stack: Vec<(usize, &UnitRow)> = by_parent
        .get(&None)
        .map(|l| l.iter().rev().map(|u| (0, *u)).collect())
        .unwrap_or_default();
    while let Some((depth, u)) = stack.pop() {
        out.push((depth, u));
        if out.len() > units.len() {
            break; // a cycle in a hand-edited database: never loop
        }
        if let Some(kids) = by_parent.get(&Some(u.id)) {
            stack.extend(kids.iter().rev().map(|k| (depth + 1, *k)));
        }
    }
    out
}

impl Organisation {
    pub fn new(store: Store, clock: Arc<dyn Clock>, tz: TimeZone) -> Self {
        Organisation { store, clock, tz }
    }

    /// The site's today: who serves is decided by it.
    pub fn today(&self) -> Date {
        self.tz.to_datetime(self.clock.now()).date()
    }

    /// When the pages stop being right without an edit: the next midnight, when someone's
    /// term may begin or end.
    pub fn good_until(&self) -> i64 {
        crate::clock::next_midnight(self.clock.now(), &self.tz).as_second()
    }

    /// Every unit, in tree order, with its depth.
    pub async fn units(&self, site: SiteId) -> Result<Vec<(usize, UnitRow)>> {
        let units = self.store.organisation(site).units().await?;
        Ok(tree_order(&units)
            .into_iter()
            .map(|(d, u)| (d, u.clone()))
            .collect())
    }

    /// Every person, current and past, in tree order of their units and by precedence.
    pub async fn people(&self, site: SiteId) -> Result<Vec<PersonRow>> {
        let org = self.store.organisation(site);
        let units = org.units().await?;
        let mut people = org.people().await?;
        let rank: HashMap<UnitId, usize> = tree_order(&units)
            .into_iter()
            .enumerate()
            .map(|(i, (_, u))| (u.id, i))
            .collect();
        people.sort_by_key(|p| {
            (
                rank.get(&p.unit_id).copied().unwrap_or(usize::MAX),
                p.precedence,
                p.id,
            )
        });
        Ok(people)
    }

    pub async fn person(&self, site: SiteId, id: PersonId) -> Result<PersonRow> {
        self.store
            .organisation(site)
            .person(id)
            .await?
            .ok_or(Error::NotFound)
    }

    /// The whole structure: the top units, each with its people serving today and its own
    /// units.
    pub async fn structure(&self, site: SiteId) -> Result<Vec<UnitNode>> {
        let units = self.store.organisation(site).units().await?;
        let people = self.people(site).await?;
        Ok(self.nodes(&units, &people, None))
    }

    fn nodes(&self, units: &[UnitRow], people: &[PersonRow], top: Option<UnitId>) -> Vec<UnitNode> {
        let today = self.today();
        let order = tree_order(units);
        // Built from the deepest units up, so each unit finds its own units made.
        let mut made: HashMap<UnitId, UnitNode> = HashMap::new();
        let mut children: HashMap<UnitId, Vec<UnitId>> = HashMap::new();
        for (_, u) in &order {
            if let Some(p) = u.parent_id {
                children.entry(p).or_default().push(u.id);
            }
        }
        for (_, u) in order.iter().rev() {
            let kids = children
                .get(&u.id)
                .map(|ids| ids.iter().filter_map(|id| made.remove(id)).collect())
                .unwrap_or_default();
            made.insert(
                u.id,
                UnitNode {
                    unit: (*u).clone(),
                    people: people
                        .iter()
                        .filter(|p| p.unit_id == u.id && serving(p, today))
                        .cloned()
                        .collect(),
                    children: kids,
                },
            );
        }
        let roots: Vec<UnitNode> = order
            .iter()
            .filter(|(d, _)| *d == 0)
            .filter_map(|(_, u)| made.remove(&u.id))
            .collect();
        match top {
            Some(id) => find(roots, id).into_iter().collect(),
            None => roots,
        }
    }

    /// A unit's page by its slug (404 for none).
    pub async fn unit(&self, site: SiteId, slug: &str) -> Result<UnitPage> {
        let units = self.store.organisation(site).units().await?;
        let unit = units
            .iter()
            .find(|u| u.slug == slug)
            .ok_or(Error::NotFound)?;
        let parent = unit
            .parent_id
            .and_then(|p| units.iter().find(|u| u.id == p))
            .cloned();
        let people = self.people(site).await?;
        let node = self
            .nodes(&units, &people, Some(unit.id))
            .into_iter()
            .next()
            .ok_or(Error::NotFound)?;
        Ok(UnitPage { node, parent })
    }

    /// The contact directory: the people serving today, in the structure's order, whose
    /// name, position or unit holds what was typed (folded: "nguyen" finds "Nguyễn"), in the
    /// unit `unit` (a slug) and the units under it when one is chosen.
    pub async fn directory(
        &self,
        site: SiteId,
        q: &str,
        unit: Option<&str>,
    ) -> Result<Vec<PersonRow>> {
        let today = self.today();
        let within: Option<Vec<UnitId>> = match unit {
            None => None,
            Some(slug) => {
                let units = self.store.organisation(site).units().await?;
                let Some(top) = units.iter().find(|u| u.slug == slug) else {
                    return Ok(Vec::new());
                };
                let mut ids = vec![top.id];
                let mut i = 0;
                while i < ids.len() {
                    let id = ids[i];
                    ids.extend(
                        units
                            .iter()
                            .filter(|u| u.parent_id == Some(id) && !ids.contains(&u.id))
                            .map(|u| u.id)
                            .collect::<Vec<_>>(),
                    );
                    i += 1;
                }
                Some(ids)
            }
        };
        let needle = fold_words(q);
        Ok(self
            .people(site)
            .await?
            .into_iter()
            .filter(|p| serving(p, today))
            .filter(|p| within.as_ref().is_none_or(|ids| ids.contains(&p.unit_id)))
            .filter(|p| needle.is_empty() || matches(p, &needle))
            .collect())
    }

    /// The leaders of past periods: everyone whose term ended, the latest first.
    pub async fn past_leaders(&self, site: SiteId) -> Result<Vec<PersonRow>> {
        let today = self.today();
        let mut past: Vec<PersonRow> = self
            .people(site)
            .await?
            .into_iter()
            .filter(|p| past(p, today))
            .collect();
        past.sort_by(|a, b| {
            b.served_until
                .cmp(&a.served_until)
                .then(a.precedence.cmp(&b.precedence))
        });
        Ok(past)
    }
}

/// The node of unit `id` among `nodes` and their descendants.
fn find(nodes: Vec<UnitNode>, id: UnitId) -> Option<UnitNode> {
    let mut stack = nodes;
    while let Some(n) = stack.pop() {
        if n.unit.id == id {
            return Some(n);
        }
        stack.extend(n.children);
    }
    None
}

/// Whether a person's name, position or unit holds the folded words `needle` at a word's
/// start ("van an" finds "Nguyễn Văn An", "an" does not find "Toàn").
fn matches(p: &PersonRow, needle: &str) -> bool {
    // The English position and unit name too: the directory's English page searches them.
    let hay = format!(
        "-{}-{}-{}-{}-{}-",
        fold_words(&p.name),
        fold_words(&p.title),
        fold_words(&p.unit_name),
        fold_words(&p.title_en),
        fold_words(&p.unit_name_en)
    );
    hay.contains(&format!("-{needle}"))
}

#[cfg(test)]
mod tests;

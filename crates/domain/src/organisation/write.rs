//! Changes to the organisation: units (a cycle refused, a unit with people or units kept),
//! their order, and people; each with its audit entry and change record in one transaction.

use super::Organisation;
use crate::audit::{self, Actor, Entry};
use crate::auth::{Action, By};
use crate::documents::parse_day;
use crate::text::{nfc, slugify};
use crate::{Error, Result};
use cong_store::changes::ChangeKind;
use cong_store::organisation::{PersonFields, PersonId, UnitFields, UnitId, UnitKind, UnitRow};
use cong_store::{SiteId, Tx};

/// A unit as the form sends it (kept as typed, so a refused form comes back as it was).
#[derive(Debug, Clone, Default)]
pub struct UnitForm {
    /// `leadership`, `department` or `affiliate`.
    pub kind: String,
    pub name: String,
    pub name_en: String,
    /// Empty: made from the name.
    pub slug: String,
    pub duties: String,
    pub duties_en: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    /// The parent unit's id; empty for a top unit.
    pub parent: String,
}

/// A person as the form sends it.
#[derive(Debug, Clone, Default)]
pub struct PersonForm {
    /// The unit's id.
    pub unit: String,
    pub name: String,
    pub title: String,
    pub title_en: String,
    /// An image of the site's library (its id); empty for none.
    pub photo: String,
    pub phone: String,
    pub email: String,
    pub precedence: String,
    /// `yyyy-mm-dd` or `dd/mm/yyyy`; empty when not recorded.
    pub served_from: String,
    /// The last day in office; empty while serving.
    pub served_until: String,
}

/// Which way a unit moves among its siblings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
}

type Fields = Vec<(String, String)>;

fn refuse(fields: &mut Fields, name: &str, message: &str) {
    fields.push((name.to_owned(), message.to_owned()));
}

/// A line of text: NFC, trimmed, at most `max` characters.
fn line(fields: &mut Fields, name: &str, value: &str, max: usize, required: bool) -> String {
    let v = nfc(value.trim());
    if required && v.is_empty() {
        refuse(fields, name, "Trường này không được để trống.");
    } else if v.chars().count() > max {
        refuse(fields, name, &format!("Tối đa {max} ký tự."));
    }
    v
}

fn phone(fields: &mut Fields, name: &str, value: &str) -> String {
    let v = line(fields, name, value, 40, false);
    let ok = v
        .chars()
        .all(|c| c.is_ascii_digit() || " +().-".contains(c));
    if !ok {
        refuse(
            fields,
            name,
            "Số điện thoại chỉ gồm chữ số, dấu cách và các dấu + ( ) . -",
        );
    }
    v
}

fn email(fields: &mut Fields, name: &str, value: &str) -> String {
    match crate::auth::normalise_email(value) {
        Ok(e) => e.unwrap_or_default(),
        Err(Error::Invalid(m)) => {
            refuse(fields, name, &m);
            value.trim().to_owned()
        }
        Err(_) => value.trim().to_owned(),
    }
}

fn id_of(fields: &mut Fields, name: &str, value: &str) -> Option<i64> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => {
            refuse(fields, name, "Hãy chọn trong danh sách.");
            None
        }
    }
}

/// Whether `unit` is `ancestor` or lies under it.
fn under(units: &[UnitRow], unit: UnitId, ancestor: UnitId) -> bool {
    let mut at = Some(unit);
    let mut steps = 0;
    while let Some(u) = at {
        if u == ancestor {
            return true;
        }
        steps += 1;
        if steps > units.len() {
            return true; // already a cycle: refuse rather than loop
        }
        at = units.iter().find(|x| x.id == u).and_then(|x| x.parent_id);
    }
    false
}

fn next_position(units: &[UnitRow], parent: Option<UnitId>, except: Option<UnitId>) -> i64 {
    units
        .iter()
        .filter(|u| u.parent_id == parent && Some(u.id) != except)
        .map(|u| u.position + 1)
        .max()
        .unwrap_or(0)
}

/// Refuses (403) a user whose role does not allow it; the operator at the command line may.
fn allowed((by, _): (By<'_>, SiteId)) -> Result<()> {
    match by.actor() {
        Some(actor) => actor.require(Action::ManageOrganisation),
        None => Ok(()),
    }
}

impl Organisation {
    /// Records the change (its site's pages go stale on every node) and the audit entry, and
    /// commits: the row, its entry and its change stand or fall together.
    async fn finish(
        &self,
        mut tx: Tx,
        (by, site): (By<'_>, SiteId),
        entry: Entry<'_>,
        now: i64,
    ) -> Result<()> {
        self.store
            .changes()
            .record(&mut tx, ChangeKind::Organisation, site.0, now)
            .await?;
        audit::append_by(&self.store, &mut tx, by, entry, Some(site), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates (`id` None) or changes a unit. A unit cannot be put under itself or one of
    /// its own units.
    pub async fn save_unit(
        &self,
        actor: Actor<'_>,
        id: Option<UnitId>,
        form: &UnitForm,
    ) -> Result<UnitId> {
        self.save_unit_as((By::User(actor), actor.site), id, form)
            .await
    }

    /// Adds a unit from the command line (the demo).
    pub async fn seed_unit(&self, site: SiteId, form: &UnitForm) -> Result<UnitId> {
        self.save_unit_as((By::CommandLine, site), None, form).await
    }

    async fn save_unit_as(
        &self,
        who: (By<'_>, SiteId),
        id: Option<UnitId>,
        form: &UnitForm,
    ) -> Result<UnitId> {
        allowed(who)?;
        let mut bad = Fields::new();
        let kind = UnitKind::parse(form.kind.trim());
        if kind.is_none() {
            refuse(&mut bad, "kind", "Hãy chọn loại đơn vị.");
        }
        let name = line(&mut bad, "name", &form.name, 200, true);
        let name_en = line(&mut bad, "name_en", &form.name_en, 200, false);
        let slug = match slugify(form.slug.trim()) {
            s if s.is_empty() => slugify(&name),
            s => s,
        };
        let duties = nfc(form.duties.trim());
        let duties_en = nfc(form.duties_en.trim());
        for (field, text) in [("duties", &duties), ("duties_en", &duties_en)] {
            if text.chars().count() > 20_000 {
                refuse(&mut bad, field, "Tối đa 20.000 ký tự.");
            }
        }
        let address = line(&mut bad, "address", &form.address, 300, false);
        let phone = phone(&mut bad, "phone", &form.phone);
        let email = email(&mut bad, "email", &form.email);
        let parent = id_of(&mut bad, "parent", &form.parent).map(UnitId);
        let now = self.clock.now().as_second();
        let org = self.store.organisation(who.1);
        let mut tx = self.store.begin().await?;
        let units = org.units_for_update(&mut tx).await?;
        let current = match id {
            Some(id) => Some(units.iter().find(|u| u.id == id).ok_or(Error::NotFound)?),
            None => None,
        };
        if let Some(p) = parent {
            if !units.iter().any(|u| u.id == p) {
                refuse(&mut bad, "parent", "Hãy chọn trong danh sách.");
            } else if let Some(id) = id
                && under(&units, p, id)
            {
                refuse(
                    &mut bad,
                    "parent",
                    "Không thể đặt một đơn vị vào chính nó hoặc vào đơn vị cấp dưới của nó.",
                );
            }
        }
        if slug.is_empty() {
            refuse(&mut bad, "slug", "Đường dẫn cần có chữ hoặc số.");
        } else if units.iter().any(|u| u.slug == slug && Some(u.id) != id) {
            refuse(
                &mut bad,
                "slug",
                "Đường dẫn này đã được một đơn vị khác dùng.",
            );
        }
        let (Some(kind), true) = (kind, bad.is_empty()) else {
            return Err(Error::Fields(bad));
        };
        let fields = UnitFields {
            parent_id: parent,
            kind,
            name: &name,
            name_en: &name_en,
            slug: &slug,
            duties: &duties,
            duties_en: &duties_en,
            address: &address,
            phone: &phone,
            email: &email,
        };
        let (id, action) = match current {
            Some(u) => {
                let position = if u.parent_id == parent {
                    u.position
                } else {
                    next_position(&units, parent, Some(u.id))
                };
                if !org
                    .update_unit(&mut tx, u.id, &fields, position, now)
                    .await?
                {
                    return Err(Error::NotFound);
                }
                (u.id, "organisation.unit.update")
            }
            None => {
                let position = next_position(&units, parent, None);
                let id = org.insert_unit(&mut tx, &fields, position, now).await?;
                (id, "organisation.unit.create")
            }
        };
        self.finish(
            tx,
            who,
            Entry {
                action,
                kind: "org_unit",
                id: Some(id.0),
                detail: &name,
            },
            now,
        )
        .await?;
        Ok(id)
    }

    /// Deletes a unit that has neither people (current or past) nor units of its own.
    pub async fn delete_unit(&self, actor: Actor<'_>, id: UnitId) -> Result<()> {
        actor.require(Action::ManageOrganisation)?;
        let now = self.clock.now().as_second();
        let org = self.store.organisation(actor.site);
        let mut tx = self.store.begin().await?;
        let units = org.units_for_update(&mut tx).await?;
        let unit = units.iter().find(|u| u.id == id).ok_or(Error::NotFound)?;
        let kids = units.iter().filter(|u| u.parent_id == Some(id)).count();
        if kids > 0 {
            return Err(Error::Conflict(format!(
                "Không thể xóa “{}”: đơn vị còn {kids} đơn vị trực thuộc. Hãy chuyển hoặc xóa các đơn vị đó trước.",
                unit.name
            )));
        }
        let people = org.count_people_of(&mut tx, id).await?;
        if people > 0 {
            return Err(Error::Conflict(format!(
                "Không thể xóa “{}”: đơn vị còn {people} người (kể cả lãnh đạo các thời kỳ). Hãy chuyển hoặc xóa họ trước.",
                unit.name
            )));
        }
        let name = unit.name.clone();
        if !org.delete_unit(&mut tx, id).await? {
            return Err(Error::NotFound);
        }
        self.finish(
            tx,
            (By::User(actor), actor.site),
            Entry {
                action: "organisation.unit.delete",
                kind: "org_unit",
                id: Some(id.0),
                detail: &name,
            },
            now,
        )
        .await
    }

    /// Moves a unit one place up or down among its siblings (of its kind: the leadership
    /// stays first); at the end already, nothing changes.
    pub async fn move_unit(&self, actor: Actor<'_>, id: UnitId, way: Move) -> Result<()> {
        actor.require(Action::ManageOrganisation)?;
        let now = self.clock.now().as_second();
        let org = self.store.organisation(actor.site);
        let mut tx = self.store.begin().await?;
        let units = org.units_for_update(&mut tx).await?;
        let unit = units.iter().find(|u| u.id == id).ok_or(Error::NotFound)?;
        let mut siblings: Vec<&UnitRow> = units
            .iter()
            .filter(|u| u.parent_id == unit.parent_id && u.kind == unit.kind)
            .collect();
        siblings.sort_by_key(|u| (u.position, u.id));
        let Some(at) = siblings.iter().position(|u| u.id == id) else {
            return Err(Error::NotFound);
        };
        let to = match way {
            Move::Up if at > 0 => at - 1,
            Move::Down if at + 1 < siblings.len() => at + 1,
            _ => return Ok(()),
        };
        siblings.swap(at, to);
        // Numbered again from the lowest place the group held, so equal places (units made
        // on another node at once) cannot keep a move from showing.
        let base = siblings.iter().map(|u| u.position).min().unwrap_or(0);
        for (i, u) in siblings.iter().enumerate() {
            let position = base + i64::try_from(i).unwrap_or(0);
            if u.position != position {
                org.set_position(&mut tx, u.id, position).await?;
            }
        }
        let detail = match way {
            Move::Up => "lên",
            Move::Down => "xuống",
        };
        self.finish(
            tx,
            (By::User(actor), actor.site),
            Entry {
                action: "organisation.unit.move",
                kind: "org_unit",
                id: Some(id.0),
                detail,
            },
            now,
        )
        .await
    }

    /// Creates (`id` None) or changes a person.
    pub async fn save_person(
        &self,
        actor: Actor<'_>,
        id: Option<PersonId>,
        form: &PersonForm,
    ) -> Result<PersonId> {
        self.save_person_as((By::User(actor), actor.site), id, form)
            .await
    }

    /// Adds a person from the command line (the demo).
    pub async fn seed_person(&self, site: SiteId, form: &PersonForm) -> Result<PersonId> {
        self.save_person_as((By::CommandLine, site), None, form)
            .await
    }

    async fn save_person_as(
        &self,
        who: (By<'_>, SiteId),
        id: Option<PersonId>,
        form: &PersonForm,
    ) -> Result<PersonId> {
        allowed(who)?;
        let mut bad = Fields::new();
        let unit = id_of(&mut bad, "unit", &form.unit).map(UnitId);
        if unit.is_none() && form.unit.trim().is_empty() {
            refuse(&mut bad, "unit", "Hãy chọn đơn vị.");
        }
        let name = line(&mut bad, "name", &form.name, 200, true);
        let title = line(&mut bad, "title", &form.title, 200, true);
        let title_en = line(&mut bad, "title_en", &form.title_en, 200, false);
        let photo = id_of(&mut bad, "photo", &form.photo);
        let phone = phone(&mut bad, "phone", &form.phone);
        let email = email(&mut bad, "email", &form.email);
        let precedence = match form.precedence.trim() {
            "" => 0,
            p => p.parse::<i64>().unwrap_or_else(|_| {
                refuse(&mut bad, "precedence", "Thứ tự phải là một số nguyên.");
                0
            }),
        };
        let mut date = |field: &str, v: &str| match v.trim() {
            "" => None,
            v => parse_day(v).or_else(|| {
                refuse(
                    &mut bad,
                    field,
                    "Ngày viết dd/mm/yyyy (ví dụ 01/07/2025) hoặc yyyy-mm-dd.",
                );
                None
            }),
        };
        let from = date("served_from", &form.served_from);
        let until = date("served_until", &form.served_until);
        if let (Some(f), Some(u)) = (from, until)
            && u < f
        {
            refuse(
                &mut bad,
                "served_until",
                "Ngày thôi giữ chức vụ không thể trước ngày bắt đầu.",
            );
        }
        let now = self.clock.now().as_second();
        let org = self.store.organisation(who.1);
        let mut tx = self.store.begin().await?;
        let units = org.units_for_update(&mut tx).await?;
        if let Some(u) = unit
            && !units.iter().any(|x| x.id == u)
        {
            refuse(&mut bad, "unit", "Hãy chọn trong danh sách.");
        }
        if let Some(m) = photo
            && !org.has_image(&mut tx, m).await?
        {
            refuse(&mut bad, "photo", "Ảnh này không có trong thư viện ảnh.");
        }
        let (Some(unit), true) = (unit, bad.is_empty()) else {
            return Err(Error::Fields(bad));
        };
        let (from, until) = (from.map(|d| d.to_string()), until.map(|d| d.to_string()));
        let fields = PersonFields {
            unit_id: unit,
            name: &name,
            title: &title,
            title_en: &title_en,
            photo_media_id: photo,
            phone: &phone,
            email: &email,
            precedence,
            served_from: from.as_deref(),
            served_until: until.as_deref(),
        };
        let (id, action) = match id {
            Some(id) => {
                if !org.update_person(&mut tx, id, &fields, now).await? {
                    return Err(Error::NotFound);
                }
                (id, "organisation.person.update")
            }
            None => (
                org.insert_person(&mut tx, &fields, now).await?,
                "organisation.person.create",
            ),
        };
        self.finish(
            tx,
            who,
            Entry {
                action,
                kind: "org_person",
                id: Some(id.0),
                detail: &name,
            },
            now,
        )
        .await?;
        Ok(id)
    }

    pub async fn delete_person(&self, actor: Actor<'_>, id: PersonId) -> Result<()> {
        actor.require(Action::ManageOrganisation)?;
        let now = self.clock.now().as_second();
        let person = self.person(actor.site, id).await?;
        let mut tx = self.store.begin().await?;
        if !self
            .store
            .organisation(actor.site)
            .delete_person(&mut tx, id)
            .await?
        {
            return Err(Error::NotFound);
        }
        self.finish(
            tx,
            (By::User(actor), actor.site),
            Entry {
                action: "organisation.person.delete",
                kind: "org_person",
                id: Some(id.0),
                detail: &person.name,
            },
            now,
        )
        .await
    }
}

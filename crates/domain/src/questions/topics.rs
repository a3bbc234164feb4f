//! A site's Hỏi đáp fields (lĩnh vực) as the administrator arranges them: names in both
//! languages, order, removal (the questions stay, without a field).

use super::{QuestionService, field};
use crate::audit::{self, Actor, Entry};
use crate::auth::Action;
use crate::text::nfc;
use crate::{Error, Result};
use cong_store::changes::ChangeKind;
use cong_store::feedback::TopicName;

const MAX_NAME: usize = 300;

impl QuestionService {
    /// Adds a field (None) or changes one; administrators. The site's Hỏi đáp pages follow
    /// on every node.
    pub async fn save_topic(
        &self,
        actor: Actor<'_>,
        id: Option<i64>,
        names: TopicName<'_>,
        position: i64,
    ) -> Result<i64> {
        actor.require(Action::ManageSettings)?;
        let name = nfc(names.vi.trim());
        if name.is_empty() || name.chars().count() > MAX_NAME {
            return Err(field("name", "Tên lĩnh vực cần từ 1 đến 300 ký tự."));
        }
        let name_en = nfc(names.en.trim());
        if name_en.chars().count() > MAX_NAME {
            return Err(field("name_en", "Tên tiếng Anh tối đa 300 ký tự."));
        }
        let topics = self.store.questions();
        let taken = topics
            .topics(actor.site)
            .await?
            .iter()
            .any(|t| t.name == name && Some(t.id) != id);
        if taken {
            return Err(field("name", "Đã có lĩnh vực cùng tên."));
        }
        let names = TopicName {
            vi: &name,
            en: &name_en,
        };
        let now = self.clock.now().as_second();
        let mut tx = self.store.begin().await?;
        let id = match id {
            Some(id) => {
                if !topics
                    .update_topic(&mut tx, actor.site, id, &names, position)
                    .await?
                {
                    return Err(Error::NotFound);
                }
                id
            }
            None => {
                topics
                    .insert_topic(&mut tx, actor.site, &names, position)
                    .await?
            }
        };
        self.changed(&mut tx, actor, "question.topic_save", id, &name, now)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn delete_topic(&self, actor: Actor<'_>, id: i64) -> Result<()> {
        actor.require(Action::ManageSettings)?;
        let now = self.clock.now().as_second();
        let mut tx = self.store.begin().await?;
        if !self
            .store
            .questions()
            .delete_topic(&mut tx, actor.site, id)
            .await?
        {
            return Err(Error::NotFound);
        }
        self.changed(&mut tx, actor, "question.topic_delete", id, "", now)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The audit entry and the change every node's pages follow (the field's name is on
    /// the site's Hỏi đáp pages, kept or not).
    async fn changed(
        &self,
        tx: &mut cong_store::Tx,
        actor: Actor<'_>,
        action: &'static str,
        id: i64,
        detail: &str,
        now: i64,
    ) -> Result<()> {
        self.store
            .changes()
            .record(tx, ChangeKind::Settings, actor.site.0, now)
            .await?;
        let entry = Entry {
            action,
            kind: "question_topic",
            id: Some(id),
            detail,
        };
        audit::append(&self.store, tx, actor, entry, now).await?;
        Ok(())
    }
}

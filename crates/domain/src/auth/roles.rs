//! Who may do what in the back office: one function answers, and a test checks the matrix.

/// A back-office role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Role {
    /// Quản trị: users, settings, everything.
    Admin,
    /// Biên tập: edits and publishes any article, manages sections, pages and media.
    Editor,
    /// Phóng viên: writes drafts and submits them for review.
    Author,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "editor" => Some(Role::Editor),
            "author" => Some(Role::Author),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Author => "author",
        }
    }

    /// The Vietnamese name shown in the back office.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Quản trị viên",
            Role::Editor => "Biên tập viên",
            Role::Author => "Phóng viên",
        }
    }

    pub const ALL: [Role; 3] = [Role::Admin, Role::Editor, Role::Author];
}

/// Something a user may try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Create a new article (as a draft).
    CreateArticle,
    /// Edit an article; `own` when the user wrote it, `draft` when it is a draft (or returned).
    EditArticle {
        own: bool,
        draft: bool,
    },
    /// Submit an own draft for review.
    SubmitArticle {
        own: bool,
    },
    /// Publish (now or scheduled), return with a comment, unpublish.
    Publish,
    /// See an article in the back office (and its revisions).
    ViewArticle {
        own: bool,
    },
    /// Restore an old revision (a save like any other).
    RestoreRevision {
        own: bool,
        draft: bool,
    },
    ManageSections,
    ManagePages,
    UploadMedia,
    /// Delete media, edit anyone's media captions.
    ManageMedia,
    ManageUsers,
    ManageSettings,
    ViewAudit,
    /// Create sites, change their addresses, disable them (the system administrator).
    ManageSites,
    /// Create a legal document (as a draft).
    CreateDocument,
    /// Edit a document; `own` when the user made it, `draft` while it is a draft.
    EditDocument {
        own: bool,
        draft: bool,
    },
    /// Publish or unpublish a document.
    PublishDocument,
    /// Edit the lists documents are classed by (types, issuers, fields).
    ManageDocumentLists,
    /// Upload an attachment (PDF, Word, Excel …).
    UploadFile,
    /// See the trash and take things back out of it.
    RestoreFromTrash,
    /// Delete what is in the trash for good.
    EmptyTrash,
    /// Read citizens' feedback and mark it handled or archived.
    HandleFeedback,
    /// Moderate, assign, edit and publish citizens' questions (an assignee answers without it).
    HandleQuestions,
    /// Find, export and erase what is stored about a person (Decree 13/2023).
    ManagePersonalData,
    /// Put a document out for comment, moderate its comments, attach its summary report.
    ManageConsultation,
    /// Arrange the site: its menu, home-page blocks, banners and links.
    ArrangeSite,
    /// Draft, publish and call off entries of the leaders' work schedule (Lịch công tác).
    ManageSchedule,
    /// Edit the site's units and people (Cơ cấu tổ chức, Danh bạ).
    ManageOrganisation,
}

/// The rule: administrators may do everything; editors everything but users, settings and
/// the audit log; authors write and submit their own drafts, and upload images for them.
pub fn can(role: Role, action: Action) -> bool {
    use Action::*;
    match role {
        Role::Admin => true,
        Role::Editor => !matches!(
            action,
            ManageUsers
                | ManageSettings
                | ViewAudit
                | ManageSites
                | ManageDocumentLists
                | EmptyTrash
                | ManagePersonalData
        ),
        Role::Author => match action {
            CreateArticle | UploadMedia | CreateDocument | UploadFile => true,
            EditArticle { own, draft }
            | RestoreRevision { own, draft }
            | EditDocument { own, draft } => own && draft,
            SubmitArticle { own } | ViewArticle { own } => own,
            Publish | ManageSections | ManagePages | ManageMedia | ManageUsers | ManageSettings
            | ViewAudit | ManageSites | PublishDocument | ManageDocumentLists
            | RestoreFromTrash | EmptyTrash | HandleFeedback | HandleQuestions
            | ManagePersonalData | ManageConsultation | ArrangeSite | ManageOrganisation => false,
            ManageSchedule => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::Action::*;
    use super::*;

    #[test]
    fn documents_follow_the_articles_rules() {
        let cases: [(Action, [bool; 3]); 8] = [
            // action                                             admin  editor author
            (CreateDocument, [true, true, true]),
            (
                EditDocument {
                    own: true,
                    draft: true,
                },
                [true, true, true],
            ),
            (
                EditDocument {
                    own: true,
                    draft: false,
                },
                [true, true, false],
            ),
            (
                EditDocument {
                    own: false,
                    draft: true,
                },
                [true, true, false],
            ),
            (
                EditDocument {
                    own: false,
                    draft: false,
                },
                [true, true, false],
            ),
            (PublishDocument, [true, true, false]),
            (ManageDocumentLists, [true, false, false]),
            (UploadFile, [true, true, true]),
        ];
        for (action, expected) in cases {
            for (role, want) in [Role::Admin, Role::Editor, Role::Author]
                .into_iter()
                .zip(expected)
            {
                assert_eq!(can(role, action), want, "{role:?} {action:?}");
            }
        }
    }

    #[test]
    fn the_trash_is_restored_by_editors_and_emptied_by_administrators() {
        for (action, expected) in [
            (RestoreFromTrash, [true, true, false]),
            (EmptyTrash, [true, false, false]),
        ] {
            for (role, want) in Role::ALL.into_iter().zip(expected) {
                assert_eq!(can(role, action), want, "{role:?} {action:?}");
            }
        }
    }

    #[test]
    fn the_matrix() {
        let cases: [(Action, [bool; 3]); 21] = [
            // action                                          admin  editor author
            (CreateArticle, [true, true, true]),
            (
                EditArticle {
                    own: true,
                    draft: true,
                },
                [true, true, true],
            ),
            (
                EditArticle {
                    own: true,
                    draft: false,
                },
                [true, true, false],
            ),
            (
                EditArticle {
                    own: false,
                    draft: true,
                },
                [true, true, false],
            ),
            (
                EditArticle {
                    own: false,
                    draft: false,
                },
                [true, true, false],
            ),
            (SubmitArticle { own: true }, [true, true, true]),
            (SubmitArticle { own: false }, [true, true, false]),
            (Publish, [true, true, false]),
            (ViewArticle { own: true }, [true, true, true]),
            (ViewArticle { own: false }, [true, true, false]),
            (
                RestoreRevision {
                    own: true,
                    draft: true,
                },
                [true, true, true],
            ),
            (
                RestoreRevision {
                    own: true,
                    draft: false,
                },
                [true, true, false],
            ),
            (
                RestoreRevision {
                    own: false,
                    draft: true,
                },
                [true, true, false],
            ),
            (ManageSections, [true, true, false]),
            (ManagePages, [true, true, false]),
            (UploadMedia, [true, true, true]),
            (ManageMedia, [true, true, false]),
            (ManageUsers, [true, false, false]),
            (ManageSettings, [true, false, false]),
            (ViewAudit, [true, false, false]),
            (ManageSchedule, [true, true, false]),
        ];
        for (action, want) in cases {
            for (role, allowed) in Role::ALL.into_iter().zip(want) {
                assert_eq!(can(role, action), allowed, "{role:?} {action:?}");
            }
        }
    }

    #[test]
    fn names() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}

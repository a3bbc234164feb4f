-- Roles per site: an account is shared by the whole instance, what it may do is given site
-- by site. users.role = 'admin' now means a system administrator (every site, and the sites
-- themselves); any other value there gives nothing by itself. Who had a role before has it
-- on site 1.

CREATE TABLE site_roles (
    user_id BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    site_id BIGINT  NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    role    TEXT    NOT NULL CHECK (role IN ('admin', 'editor', 'author')),
    PRIMARY KEY (user_id, site_id)
);
CREATE INDEX site_roles_by_site ON site_roles (site_id);

INSERT INTO site_roles (user_id, site_id, role)
SELECT id, 1, role FROM users WHERE role <> 'admin';

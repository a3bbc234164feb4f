# The organisation chart, a unit's page, the contact directory and past leaders.
# (The page titles are base.ftl's nav-organisation, nav-directory.)
org-breadcrumb = You are here
org-description = The leadership, the departments and the affiliated units, their duties and contacts
org-link-directory = Phone and e-mail directory
org-past-leaders = Past leaders
org-chart = Organisation chart
org-empty = No information on the organisation yet.
org-kind-leadership = Leadership
org-kind-affiliate = Affiliated unit
org-kind-department = Department
org-contact = Contact
org-address = Address
org-phone = Phone
org-email = E-mail
org-phone-label = Phone:
org-email-label = E-mail:
org-duties = Functions and duties
org-leaders = Leadership
org-unit-leaders = Heads of the unit
org-photo = Photo of { $name }
org-no-info = No information yet.
org-affiliates = Affiliated units
dir-description = Official phone numbers and e-mail addresses of the staff
dir-search = Search the directory
dir-q = Name, position or unit
dir-unit = Unit
dir-all-units = All units
dir-count = { $count ->
    [one] 1 person.
   *[other] { $count } people.
}
dir-count-matching = { $count ->
    [one] 1 person matches.
   *[other] { $count } people match.
}
dir-none = No one found.
dir-none-matching = No one matches.
dir-show-all = Show the whole directory
dir-caption = Staff directory
dir-caption-results = Staff directory (search results)
dir-name = Name
dir-title = Position
past-term = In office: { $start } – { $end }

# The work schedule: the week's (or a day's) entries of the leaders.
schedule-breadcrumb = You are here
weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday
session-sang = Morning
session-chieu = Afternoon
session-ca-ngay = All day
schedule-status-postponed = Postponed
schedule-status-cancelled = Cancelled
# "Work schedule for 17/05/2023", "Work schedule for the week of 15/05/2023 to 21/05/2023"
schedule-title-day = Work schedule for
schedule-title-week = Work schedule for the week of
schedule-title-to = to
schedule-description = The weekly work schedule of the leadership
schedule-leader-of = Schedule of
schedule-all-leaders = Show the schedule of all leaders
schedule-weeks = Choose a week
schedule-prev-day = Previous day
schedule-prev-week = Previous week
schedule-today = Today
schedule-this-week = This week
schedule-next-day = Next day
schedule-next-week = Next week
schedule-whole-week = Whole week
schedule-pick-day = Show the schedule of the day
schedule-pick-week = Show the schedule of the week with the day
schedule-show = Show
schedule-by-leader = Filter by leader
schedule-leaders = Leaders
# "There are <strong>3</strong> entries this day.": the words before and after the number.
schedule-count-before = { $count ->
    [one] There is
   *[other] There are
}
schedule-count-day = { $count ->
    [one] entry this day.
   *[other] entries this day.
}
schedule-count-week = { $count ->
    [one] entry this week.
   *[other] entries this week.
}
schedule-none-day = Nothing is scheduled for this day yet.
schedule-none-week = Nothing is scheduled for this week yet.
schedule-today-mark = today
schedule-day-caption = Work schedule, { $day } { $date }
schedule-time = Time
schedule-leader = Leader
schedule-content = Business
schedule-place = Place
schedule-host-participants = Chair, participants
schedule-adjusted = Changed
schedule-notes = Notes: { $notes }
schedule-host = Chair: { $host }
schedule-participants = Participants: { $participants }
schedule-no-entries = Nothing scheduled.
schedule-feeds = Follow in a calendar app:
schedule-feed = iCalendar file (.ics)
schedule-feed-of = iCalendar file (.ics) of { $leader }
schedule-bad-view = The chosen view does not exist (ngay or tuan).
schedule-bad-leader = The chosen leader is not valid: choose one from the list of leaders.

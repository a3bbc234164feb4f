# Pages: home, section, article, static page, photo and video libraries, error pages.
breadcrumb = You are here
home-featured = Featured
home-latest = Latest news
home-section = Section
home-documents = New documents
home-banners = Banners
home-schedule = This week's schedule
section-children = Subsections of { $name }
section-articles = Articles
section-pager = Pages of { $name }
section-empty = This section has no articles yet.
article-views = Views:
article-print = Print this article
article-gallery = Pictures
article-source = Source:
article-others = Other news
article-others-pager = Pages of other news
page-updated = Updated: { $date }
photos-title-page = Photos - Page { $page }
photos-description = The photo galleries of published articles.
photos-lead = { $count ->
    [one] { $total } gallery from published articles, newest first.
   *[other] { $total } galleries from published articles, newest first.
}
photos-pager = Pages of the photo library
photos-empty = There are no galleries yet.
videos-title-page = Videos - Page { $page }
videos-description = The videos of published articles.
videos-lead = { $count ->
    [one] { $total } published article with a video, newest first.
   *[other] { $total } published articles with a video, newest first.
}
videos-pager = Pages of the video library
videos-empty = There are no videos yet.
# Error pages: a title and a message per status.
error-home = Back to the home page
error-404-title = Page not found
error-404-message = The page you are looking for does not exist or has moved.
error-400-title = Bad request
error-400-message = The address or its parameters are not valid.
error-405-title = Method not allowed
error-405-message = This page can only be viewed.
error-414-title = Address too long
error-414-message = The address is longer than allowed. If you are searching, shorten the search terms (500 characters at most) and search again.
error-413-title = Too much data
error-413-message = The data sent is over the limit.
error-408-title = Request timed out
error-408-message = The request took too long.
error-503-title = Temporarily unavailable
error-503-message = The system is busy or under maintenance. Please try again in a few minutes.
error-500-title = System error
error-500-message = Something went wrong. We have recorded it and will fix it.
error-other-title = The request cannot be handled
error-other-message = The request could not be carried out.
error-too-many = Please try again in { $seconds } seconds.
error-overloaded = The system is serving too many requests at once. Please try again in a moment.
error-unknown-site-title = There is no site at this address
error-unknown-site-message = This domain name does not belong to any portal on this server. Please check the address.
error-bad-address = The address is not valid.
# For the lead to wire (crates/web/src/extract.rs, error.rs).
error-bad-page-address = The page address is not valid.
error-page-number = The page number “{ $name }” must be a positive whole number.
error-bad-host = The domain name (Host) of the request is not valid.
error-edited-meanwhile = Someone else saved this content after you opened it; reload the page to see the new version.

"""The clerk's desk: who handles a request (assignment) and the notes clerks leave each
other about it. Neither is ever shown to the citizen: the request's own history
(``RequestEvent``) is the citizen's, these rows are the service's."""

# cardbind: shell and About screen (English, the reference locale)

app-name = cardbind
app-tagline = Save a customer's card with Antom, without charging it

env-demo = Demo — simulated Antom
env-sandbox = Antom sandbox
env-production = Antom production

about-title = About this app
about-intro = Version, environment and where cardbind keeps its data on this computer.
about-load = Show app information
about-loading = Loading app information…
about-version = Version
about-environment = Environment
about-data-dir = Data folder
about-config-dir = Settings folder
about-platform = Platform

error-title = Something went wrong
error-details = Details: { $details }
error-internal = An unexpected error occurred. Try again; if it happens again, contact support with the details below.
error-data-dir-unavailable = cardbind cannot create its data folder. Check that the disk is not full and that your account may write to your home folder.

// Run once by the mongo image's entrypoint, on an empty data directory, as the root user
// (docker-entrypoint-initdb.d). One user per platform service, named after it, with readWrite on
// the database of the same name and nothing else: a service cannot read another's data.
// The passwords are init-env.sh's, from mongo.env: <SERVICE>_MONGODB_PASSWORD.
/* global db, print -- mongosh's, where this script runs */
const PASSWORD_VARIABLE = /^([A-Z]+)_MONGODB_PASSWORD$/;

for (const [variable, password] of Object.entries(process.env)) {
  const match = PASSWORD_VARIABLE.exec(variable);
  if (match === null || !password) continue;
  const service = match[1].toLowerCase();
  db.getSiblingDB(service).createUser({
    user: service,
    pwd: password,
    roles: [{ role: 'readWrite', db: service }],
  });
  print(`created MongoDB user ${service} (readWrite on ${service})`);
}

-- +goose Up
-- lti_platforms: the Moodle site as an LTI 1.3 platform, one row per registration of the
-- dashboard (a client id), dynamic or by hand.
CREATE TABLE lti_platforms (
	issuer     TEXT   NOT NULL, -- the platform's iss: Moodle's wwwroot
	client_id  TEXT   NOT NULL, -- the dashboard's client id on it
	auth_url   TEXT   NOT NULL, -- OIDC authorization endpoint
	token_url  TEXT   NOT NULL,
	jwks_url   TEXT   NOT NULL, -- the platform's public keys
	updated_at BIGINT NOT NULL, -- Unix milliseconds
	PRIMARY KEY (issuer, client_id)
);

-- lti_deployments: the deployment ids launches of a registration may carry.
CREATE TABLE lti_deployments (
	issuer        TEXT NOT NULL,
	client_id     TEXT NOT NULL,
	deployment_id TEXT NOT NULL,
	PRIMARY KEY (issuer, client_id, deployment_id),
	FOREIGN KEY (issuer, client_id) REFERENCES lti_platforms (issuer, client_id) ON DELETE CASCADE
);

-- lti_logins: a login initiation waiting for its launch, found by its state and used once.
CREATE TABLE lti_logins (
	state      TEXT   NOT NULL PRIMARY KEY,
	nonce      TEXT   NOT NULL,
	issuer     TEXT   NOT NULL,
	client_id  TEXT   NOT NULL,
	cmid       BIGINT NOT NULL DEFAULT 0, -- the course module launched, for a relaunch link
	expires_at BIGINT NOT NULL
);
CREATE INDEX lti_logins_expires ON lti_logins (expires_at);

-- lti_nonces: the nonces of launches already accepted, until their id_token expires.
CREATE TABLE lti_nonces (
	issuer     TEXT   NOT NULL,
	nonce      TEXT   NOT NULL,
	expires_at BIGINT NOT NULL,
	PRIMARY KEY (issuer, nonce)
);
CREATE INDEX lti_nonces_expires ON lti_nonces (expires_at);

-- lti_keys: the tool's own signing key (a private JWK), made once and shared by replicas.
CREATE TABLE lti_keys (
	id         TEXT   NOT NULL PRIMARY KEY,
	jwk        TEXT   NOT NULL,
	created_at BIGINT NOT NULL
);

-- lti_tokens: a teacher's Moodle token kept between launches, sealed with -secret-key
-- (AES-256-GCM, base64): never the token in clear.
CREATE TABLE lti_tokens (
	site       TEXT   NOT NULL, -- the Moodle site's base URL
	user_id    BIGINT NOT NULL, -- the teacher's Moodle user id
	sealed     TEXT   NOT NULL,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (site, user_id)
);

-- +goose Down
DROP TABLE lti_tokens;
DROP TABLE lti_keys;
DROP TABLE lti_nonces;
DROP TABLE lti_logins;
DROP TABLE lti_deployments;
DROP TABLE lti_platforms;

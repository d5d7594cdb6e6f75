-- One active signature image per owner and kind, and one active CRL per issuer, held by
-- the database: the code replaces the active row (UPDATE ... active = 0, then INSERT)
-- inside one transaction, which PostgreSQL's READ COMMITTED does not serialise on its
-- own — two concurrent uploads could both end active. With these partial unique
-- indexes the second INSERT fails and its transaction is replayed (core/sigimage.c,
-- core/trust.c map the conflict to RES_BUSY), seeing the first one's row.
-- Rows made active twice before this migration keep only the newest active.
UPDATE signature_image SET active = 0
 WHERE active = 1
   AND id NOT IN (SELECT MAX(id) FROM signature_image WHERE active = 1
                   GROUP BY agency_id, kind, COALESCE(user_id, 0));
CREATE UNIQUE INDEX signature_image_one_active
    ON signature_image(agency_id, kind, COALESCE(user_id, 0)) WHERE active = 1;

UPDATE trust_crl SET active = 0
 WHERE active = 1
   AND id NOT IN (SELECT MAX(id) FROM trust_crl WHERE active = 1 GROUP BY issuer);
CREATE UNIQUE INDEX trust_crl_one_active ON trust_crl(issuer) WHERE active = 1;

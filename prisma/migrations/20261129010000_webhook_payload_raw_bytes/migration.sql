-- A delivery's payload is stored as the bytes GitHub signed, not as a JSON
-- column: MariaDB's JSON check refuses nesting of 32 levels or more, and a
-- signed delivery must be stored whatever it holds (the worker rejects what
-- it cannot read). Existing rows keep their JSON text, byte for byte.
ALTER TABLE `webhook_deliveries` MODIFY `payload` LONGBLOB NOT NULL;

CREATE TABLE IF NOT EXISTS `dns` (
  `frame_time` TIMESTAMP,
  `unix_tstamp` BIGINT,
  `frame_len` INT,
  `ip_dst` STRING,
  `ip_src` STRING,
  `dns_qry_name` STRING,
  `dns_qry_class` INT,
  `dns_qry_type` INT,
  `dns_qry_rcode` INT,
  `dns_a` STRING,
  `dns_id` INT,
  `dns_qr` BOOLEAN,
  `dns_flags` INT,
  `dns_answers` ARRAY<STRING>,
  `dns_ttl` BIGINT,
  `sport` INT,
  `dport` INT,
  `transport` STRING,
  `sensor` STRING,
  `uid` STRING,
  `y` INT,
  `m` INT,
  `d` INT,
  `h` INT
)
USING PARQUET
PARTITIONED BY (`y`, `m`, `d`, `h`)
LOCATION '/lake/dns'

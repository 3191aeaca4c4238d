insert into sources (source_id, series_id, dataset, publisher, title, url, licence, profile, file_name, path,
                     sha256, bytes, ingested_at, version, synthetic, public, status)
values ($source_id, $series_id, $dataset, $publisher, $title, $url, $licence, $profile, $file_name, $path,
        $sha256, $bytes, $ingested_at, $version, $synthetic, $public, 'loaded')

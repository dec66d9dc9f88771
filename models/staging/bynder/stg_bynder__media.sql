{{ config(unique_key='asset_id') }}
{%- set raw_relation = source('bynder', 'media') -%}
{%- set raw = raw_fields('bynder', 'media', raw_relation) -%}

with

source as (

    select * from {{ raw_relation }}
    where {{ completed_raw_loads('bynder') }}

),

standardized as (

    select
        {# columns: generated from seeds/field_mapping.csv by tools/sync_dictionary.py #}
        {{ stage_column(raw, 'id', 'string', 'trim') }} as asset_id,
        {{ stage_column(raw, 'name', 'string', 'trim') }} as asset_name,
        {{ stage_column(raw, 'description', 'string', 'trim') }} as description,
        {{ stage_column(raw, 'copyright', 'string', 'trim') }} as copyright,
        {{ stage_column(raw, 'type', 'string', 'enum_lower') }} as asset_type,
        {{ stage_column(raw, 'orientation', 'string', 'enum_lower') }} as orientation,
        {{ stage_column(raw, 'brand_id', 'string', 'trim') }} as brand_id,
        {{ stage_column(raw, 'sub_brand_id', 'string', 'trim') }} as sub_brand_id,
        {{ stage_column(raw, 'tags', 'json', 'json') }} as tags,
        {{ stage_column(raw, 'property_options', 'json', 'json') }} as property_options,
        {{ stage_column(raw, 'extension', 'json', 'json') }} as extension,
        {{ stage_column(raw, 'file_size', 'integer', 'none') }} as file_size_bytes,
        {{ stage_column(raw, 'width', 'integer', 'none') }} as width,
        {{ stage_column(raw, 'height', 'integer', 'none') }} as height,
        {{ stage_column(raw, 'date_created', 'timestamp', 'timestamp_utc') }} as created_at,
        {{ stage_column(raw, 'date_modified', 'timestamp', 'timestamp_utc') }} as modified_at,
        {{ stage_column(raw, 'date_published', 'timestamp', 'timestamp_utc') }} as published_at,
        {{ stage_column(raw, 'archive', 'boolean', 'flag_boolean') }} as is_archived,
        {{ stage_column(raw, 'is_public', 'boolean', 'flag_boolean') }} as is_public,
        {{ stage_column(raw, 'limited', 'boolean', 'flag_boolean') }} as is_limited,
        {{ stage_column(raw, 'watermarked', 'boolean', 'flag_boolean') }} as is_watermarked,
        {{ stage_column(raw, 'id_hash', 'string', 'trim') }} as id_hash,
        {{ stage_column(raw, 'user_created', 'string', 'trim') }} as created_by_name,
        {{ stage_column(raw, 'active_version', 'integer', 'none') }} as active_version,
        {{ stage_column(raw, 'thumbnails', 'json', 'json') }} as thumbnails,
        {{ stage_column(raw, 'property_market', 'json', 'json') }} as mp_market,
        {{ stage_column(raw, 'property_channel', 'json', 'json') }} as mp_channel,
        {{ stage_column(raw, 'property_asset_status', 'json', 'json') }} as mp_asset_status,
        {{ stage_column(raw, 'property_product_line', 'json', 'json') }} as mp_product_line,
        {{ stage_column(raw, 'property_release_date', 'date', 'iso_date') }} as mp_release_date,
        {{ stage_column(raw, 'property_legal_category', 'json', 'json') }} as mp_legal_category,
        {{ stage_column(raw, 'property_digital_priority', 'json', 'json') }} as mp_digital_priority,
        {{ stage_column(raw, 'property_retail_owner', 'string', 'trim') }} as mp_retail_owner,
        {{ stage_column(raw, 'property_social_category', 'json', 'json') }} as mp_social_category,
        {{ stage_column(raw, 'property_event_review_date', 'date', 'iso_date') }}
            as mp_event_review_date,
        {{ stage_column(raw, 'property_finance_priority', 'json', 'json') }} as mp_finance_priority,
        {{ stage_column(raw, 'property_season', 'json', 'json') }} as mp_season,
        {{ stage_column(raw, 'property_brand_tier', 'json', 'json') }} as mp_brand_tier,
        {{ stage_column(raw, 'property_creative_priority', 'json', 'json') }}
            as mp_creative_priority,
        {{ stage_column(raw, 'property_digital_review_date', 'date', 'iso_date') }}
            as mp_digital_review_date,
        {{ stage_column(raw, 'property_print_tier', 'json', 'json') }} as mp_print_tier,
        {{ stage_column(raw, 'property_product_code', 'string', 'trim') }} as mp_product_code,
        {{ stage_column(raw, 'property_media_status', 'json', 'json') }} as mp_media_status,
        {{ stage_column(raw, 'property_media_review_date', 'date', 'iso_date') }}
            as mp_media_review_date,
        {{ stage_column(raw, 'property_campaign', 'string', 'first_option') }} as mp_campaign,
        {{ stage_column(raw, 'property_department', 'json', 'json') }} as mp_department,
        {{ stage_column(raw, 'property_brand_review_date', 'date', 'iso_date') }}
            as mp_brand_review_date,
        {{ stage_column(raw, 'property_legal_owner', 'string', 'trim') }} as mp_legal_owner,
        {{ stage_column(raw, 'property_retail_priority', 'json', 'json') }} as mp_retail_priority,
        {{ stage_column(raw, 'property_finance_tier', 'json', 'json') }} as mp_finance_tier,
        {{ stage_column(raw, 'property_compliance_priority', 'json', 'json') }}
            as mp_compliance_priority,
        {{ stage_column(raw, 'property_media_region', 'json', 'json') }} as mp_media_region,
        {{ stage_column(raw, 'property_product_region', 'json', 'json') }} as mp_product_region,
        {{ stage_column(raw, 'property_product_priority', 'json', 'json') }} as mp_product_priority,
        {{ stage_column(raw, 'property_event_code', 'string', 'trim') }} as mp_event_code,
        {{ stage_column(raw, 'property_expiry_date', 'date', 'iso_date') }} as mp_expiry_date,
        {{ stage_column(raw, 'property_retail_tier', 'json', 'json') }} as mp_retail_tier,
        {{ stage_column(raw, 'property_social_audience', 'json', 'json') }} as mp_social_audience,
        {{ stage_column(raw, 'property_product_status', 'json', 'json') }} as mp_product_status,
        {{ stage_column(raw, 'property_regional_code', 'string', 'trim') }} as mp_regional_code,
        {{ stage_column(raw, 'property_event_status', 'json', 'json') }} as mp_event_status,
        {{ stage_column(raw, 'property_partner_tier', 'json', 'json') }} as mp_partner_tier,
        {{ stage_column(raw, 'property_finance_notes', 'string', 'trim') }} as mp_finance_notes,
        {{ stage_column(raw, 'property_location', 'string', 'trim') }} as mp_location,
        {{ stage_column(raw, 'property_event_region', 'json', 'json') }} as mp_event_region,
        {{ stage_column(raw, 'property_event_audience', 'json', 'json') }} as mp_event_audience,
        {{ stage_column(raw, 'property_partner_notes', 'string', 'trim') }} as mp_partner_notes,
        {{ stage_column(raw, 'property_compliance_notes', 'string', 'trim') }}
            as mp_compliance_notes,
        {{ stage_column(raw, 'property_archive_category', 'json', 'json') }} as mp_archive_category,
        {{ stage_column(raw, 'property_legal_priority', 'json', 'json') }} as mp_legal_priority,
        {{ stage_column(raw, 'property_creative_review_date', 'date', 'iso_date') }}
            as mp_creative_review_date,
        {{ stage_column(raw, 'property_retail_review_date', 'date', 'iso_date') }}
            as mp_retail_review_date,
        {{ stage_column(raw, 'property_partner_status', 'json', 'json') }} as mp_partner_status,
        {{ stage_column(raw, 'property_finance_review_date', 'date', 'iso_date') }}
            as mp_finance_review_date,
        {{ stage_column(raw, 'property_media_owner', 'string', 'trim') }} as mp_media_owner,
        {{ stage_column(raw, 'property_creative_audience', 'json', 'json') }}
            as mp_creative_audience,
        {{ stage_column(raw, 'property_social_review_date', 'date', 'iso_date') }}
            as mp_social_review_date,
        {{ stage_column(raw, 'property_regional_review_date', 'date', 'iso_date') }}
            as mp_regional_review_date,
        {{ stage_column(raw, 'property_archive_status', 'json', 'json') }} as mp_archive_status,
        {{ stage_column(raw, 'property_archive_review_date', 'date', 'iso_date') }}
            as mp_archive_review_date,
        {{ stage_column(raw, 'property_archive_priority', 'json', 'json') }} as mp_archive_priority,
        {{ stage_column(raw, 'property_archive_audience', 'json', 'json') }} as mp_archive_audience,
        {{ stage_column(raw, 'property_creative_brief_id', 'string', 'trim') }}
            as mp_creative_brief_id,
        {{ stage_column(raw, 'property_legal_review_date', 'date', 'iso_date') }}
            as mp_legal_review_date,
        {{ stage_column(raw, 'property_retail_code', 'string', 'trim') }} as mp_retail_code,
        {{ stage_column(raw, 'property_regional_tier', 'json', 'json') }} as mp_regional_tier,
        {{ stage_column(raw, 'property_compliance_review_date', 'date', 'iso_date') }}
            as mp_compliance_review_date,
        {{ stage_column(raw, 'property_archive_tier', 'json', 'json') }} as mp_archive_tier,
        {{ stage_column(raw, 'property_photographer', 'string', 'trim') }} as mp_photographer,
        {{ stage_column(raw, 'property_product_tier', 'json', 'json') }} as mp_product_tier,
        {{ stage_column(raw, 'property_compliance_status', 'json', 'json') }}
            as mp_compliance_status,
        {{ stage_column(raw, 'property_media_category', 'json', 'json') }} as mp_media_category,
        {{ stage_column(raw, 'property_archive_owner', 'string', 'trim') }} as mp_archive_owner,
        {{ stage_column(raw, 'property_creative_category', 'json', 'json') }}
            as mp_creative_category,
        {{ stage_column(raw, 'property_digital_owner', 'string', 'trim') }} as mp_digital_owner,
        {{ stage_column(raw, 'property_print_priority', 'json', 'json') }} as mp_print_priority,
        {{ stage_column(raw, 'property_compliance_region', 'json', 'json') }}
            as mp_compliance_region,
        {{ stage_column(raw, 'property_regional_region', 'json', 'json') }} as mp_regional_region,
        {{ stage_column(raw, 'property_partner_code', 'string', 'trim') }} as mp_partner_code,
        {{ stage_column(raw, 'property_finance_owner', 'string', 'trim') }} as mp_finance_owner,
        {{ stage_column(raw, 'property_media_priority', 'json', 'json') }} as mp_media_priority,
        {{ stage_column(raw, 'property_language', 'json', 'json') }} as mp_language,
        {{ stage_column(raw, 'property_brand_status', 'json', 'json') }} as mp_brand_status,
        {{ stage_column(raw, 'property_print_category', 'json', 'json') }} as mp_print_category,
        {{ stage_column(raw, 'property_product_audience', 'json', 'json') }} as mp_product_audience,
        {{ stage_column(raw, 'property_product_category', 'json', 'json') }} as mp_product_category,
        {{ stage_column(raw, 'property_legal_status', 'json', 'json') }} as mp_legal_status,
        {{ stage_column(raw, 'property_social_tier', 'json', 'json') }} as mp_social_tier,
        {{ stage_column(raw, 'property_social_priority', 'json', 'json') }} as mp_social_priority,
        {{ stage_column(raw, 'property_media_tier', 'json', 'json') }} as mp_media_tier,
        {{ stage_column(raw, 'property_legal_tier', 'json', 'json') }} as mp_legal_tier,
        {{ stage_column(raw, 'property_digital_tier', 'json', 'json') }} as mp_digital_tier,
        {{ stage_column(raw, 'property_print_audience', 'json', 'json') }} as mp_print_audience,
        {{ stage_column(raw, 'property_workfront_project_id', 'string', 'first_option') }}
            as mp_workfront_project_id,
        {{ stage_column(raw, 'property_agency', 'string', 'trim') }} as mp_agency,
        {{ stage_column(raw, 'property_media_code', 'string', 'trim') }} as mp_media_code,
        {{ stage_column(raw, 'property_retail_status', 'json', 'json') }} as mp_retail_status,
        {{ stage_column(raw, 'property_digital_audience', 'json', 'json') }} as mp_digital_audience,
        {{ stage_column(raw, 'property_social_status', 'json', 'json') }} as mp_social_status,
        {{ stage_column(raw, 'property_creative_owner', 'string', 'trim') }} as mp_creative_owner,
        {{ stage_column(raw, 'property_creative_region', 'json', 'json') }} as mp_creative_region,
        {{ stage_column(raw, 'property_print_notes', 'string', 'trim') }} as mp_print_notes,
        {{ stage_column(raw, 'property_brand_audience', 'json', 'json') }} as mp_brand_audience,
        {{ stage_column(raw, 'property_regional_notes', 'string', 'trim') }} as mp_regional_notes,
        {{ stage_column(raw, 'property_model_release', 'json', 'json') }} as mp_model_release,
        {{ stage_column(raw, 'property_event_priority', 'json', 'json') }} as mp_event_priority,
        {{ stage_column(raw, 'property_finance_region', 'json', 'json') }} as mp_finance_region,
        {{ stage_column(raw, 'property_compliance_audience', 'json', 'json') }}
            as mp_compliance_audience,
        {{ stage_column(raw, 'property_retail_category', 'json', 'json') }} as mp_retail_category,
        {{ stage_column(raw, 'property_product_review_date', 'date', 'iso_date') }}
            as mp_product_review_date,
        {{ stage_column(raw, 'property_partner_review_date', 'date', 'iso_date') }}
            as mp_partner_review_date,
        {{ stage_column(raw, 'property_digital_category', 'json', 'json') }} as mp_digital_category,
        {{ stage_column(raw, 'property_asset_subtype', 'json', 'json') }} as mp_asset_subtype,
        {{ stage_column(raw, 'property_product_owner', 'string', 'trim') }} as mp_product_owner,
        {{ stage_column(raw, 'property_partner_region', 'json', 'json') }} as mp_partner_region,
        {{ stage_column(raw, 'property_digital_region', 'json', 'json') }} as mp_digital_region,
        {{ stage_column(raw, 'property_regional_status', 'json', 'json') }} as mp_regional_status,
        {{ stage_column(raw, 'property_media_audience', 'json', 'json') }} as mp_media_audience,
        {{ stage_column(raw, 'property_social_code', 'string', 'trim') }} as mp_social_code,
        {{ stage_column(raw, 'property_partner_category', 'json', 'json') }} as mp_partner_category,
        {{ stage_column(raw, 'property_legal_code', 'string', 'trim') }} as mp_legal_code,
        {{ stage_column(raw, 'property_product_notes', 'string', 'trim') }} as mp_product_notes,
        {{ stage_column(raw, 'property_brand_region', 'json', 'json') }} as mp_brand_region,
        {{ stage_column(raw, 'property_compliance_code', 'string', 'trim') }} as mp_compliance_code,
        {{ stage_column(raw, 'property_media_notes', 'string', 'trim') }} as mp_media_notes,
        {{ stage_column(raw, 'property_brand_category', 'json', 'json') }} as mp_brand_category,
        {{ stage_column(raw, 'property_creative_tier', 'json', 'json') }} as mp_creative_tier,
        {{ stage_column(raw, 'property_creative_notes', 'string', 'trim') }} as mp_creative_notes,
        {{ stage_column(raw, 'property_compliance_owner', 'string', 'trim') }}
            as mp_compliance_owner,
        {{ stage_column(raw, 'property_regional_audience', 'json', 'json') }}
            as mp_regional_audience,
        {{ stage_column(raw, 'property_compliance_tier', 'json', 'json') }} as mp_compliance_tier,
        {{ stage_column(raw, 'property_color_space', 'json', 'json') }} as mp_color_space,
        {{ stage_column(raw, 'property_print_owner', 'string', 'trim') }} as mp_print_owner,
        {{ stage_column(raw, 'property_print_code', 'string', 'trim') }} as mp_print_code,
        {{ stage_column(raw, 'property_event_category', 'json', 'json') }} as mp_event_category,
        {{ stage_column(raw, 'property_retail_audience', 'json', 'json') }} as mp_retail_audience,
        {{ stage_column(raw, 'property_print_status', 'json', 'json') }} as mp_print_status,
        {{ stage_column(raw, 'property_finance_audience', 'json', 'json') }} as mp_finance_audience,
        {{ stage_column(raw, 'property_regional_category', 'json', 'json') }}
            as mp_regional_category,
        {{ stage_column(raw, 'property_usage_rights', 'json', 'json') }} as mp_usage_rights,
        {{ stage_column(raw, 'property_print_review_date', 'date', 'iso_date') }}
            as mp_print_review_date,
        {{ stage_column(raw, 'property_finance_category', 'json', 'json') }} as mp_finance_category,
        {{ stage_column(raw, 'property_finance_status', 'json', 'json') }} as mp_finance_status,
        {{ stage_column(raw, 'property_regional_priority', 'json', 'json') }}
            as mp_regional_priority,
        {{ stage_column(raw, 'property_regional_owner', 'string', 'trim') }} as mp_regional_owner,
        {{ stage_column(raw, 'property_legal_notes', 'string', 'trim') }} as mp_legal_notes,
        {{ stage_column(raw, 'property_digital_code', 'string', 'trim') }} as mp_digital_code,
        {{ stage_column(raw, 'property_brand_owner', 'string', 'trim') }} as mp_brand_owner,
        {{ stage_column(raw, 'property_partner_owner', 'string', 'trim') }} as mp_partner_owner,
        {{ stage_column(raw, 'property_event_tier', 'json', 'json') }} as mp_event_tier,
        {{ stage_column(raw, 'property_finance_code', 'string', 'trim') }} as mp_finance_code,
        {{ stage_column(raw, 'property_compliance_category', 'json', 'json') }}
            as mp_compliance_category,
        {{ stage_column(raw, 'property_brand_priority', 'json', 'json') }} as mp_brand_priority,
        {{ stage_column(raw, 'property_creative_code', 'string', 'trim') }} as mp_creative_code,
        {{ stage_column(raw, 'property_legal_region', 'json', 'json') }} as mp_legal_region,
        {{ stage_column(raw, 'property_partner_priority', 'json', 'json') }} as mp_partner_priority,
        {{ stage_column(raw, 'property_brand_code', 'string', 'trim') }} as mp_brand_code,
        {{ stage_column(raw, 'property_print_region', 'json', 'json') }} as mp_print_region,
        {{ stage_column(raw, 'property_archive_notes', 'string', 'trim') }} as mp_archive_notes,
        {{ stage_column(raw, 'property_legal_audience', 'json', 'json') }} as mp_legal_audience,
        {{ stage_column(raw, 'property_social_owner', 'string', 'trim') }} as mp_social_owner,
        {{ stage_column(raw, 'property_archive_region', 'json', 'json') }} as mp_archive_region,
        {{ stage_column(raw, 'property_event_owner', 'string', 'trim') }} as mp_event_owner,
        {{ stage_column(raw, 'property_social_notes', 'string', 'trim') }} as mp_social_notes,
        {{ stage_column(raw, 'property_archive_code', 'string', 'trim') }} as mp_archive_code,
        {{ stage_column(raw, 'property_accession_number', 'string', 'trim') }}
            as mp_accession_number,
        {{ stage_column(raw, 'property_brand_notes', 'string', 'trim') }} as mp_brand_notes,
        {{ stage_column(raw, 'property_creative_status', 'json', 'json') }} as mp_creative_status,
        {{ stage_column(raw, 'property_digital_status', 'json', 'json') }} as mp_digital_status,
        {{ stage_column(raw, 'property_social_region', 'json', 'json') }} as mp_social_region,
        {{ stage_column(raw, 'property_digital_notes', 'string', 'trim') }} as mp_digital_notes,
        {{ stage_column(raw, 'property_business_unit', 'json', 'json') }} as mp_business_unit,
        {{ stage_column(raw, 'property_partner_audience', 'json', 'json') }} as mp_partner_audience,
        {{ stage_column(raw, 'property_retail_region', 'json', 'json') }} as mp_retail_region,
        {{ stage_column(raw, 'property_retail_notes', 'string', 'trim') }} as mp_retail_notes,
        {{ stage_column(raw, 'property_event_notes', 'string', 'trim') }} as mp_event_notes,
        {# end of generated columns #}
        {{ quality_issues('bynder', 'media', raw_relation) }} as dq_issues,
        case
            when dq_issues is not null then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized

{#
    The standardization rules named in seeds/field_mapping.csv (column `rule`).
    Each takes a raw column expression and returns the standardized expression;
    a value the rule cannot read becomes null (and the row's dq_issues says why).
#}

{% macro standardize(rule, expression, target_type) -%}
    {%- if rule == 'none' -%}
        cast({{ expression }} as {{ field_type(target_type) }})
    {%- elif rule == 'trim' -%}
        {{ std_trim(expression) }}
    {%- elif rule == 'lower_trim' -%}
        lower({{ std_trim(expression) }})
    {%- elif rule == 'enum_lower' -%}
        lower({{ std_trim(expression) }})
    {%- elif rule == 'enum_upper' -%}
        upper({{ std_trim(expression) }})
    {%- elif rule == 'workfront_status' -%}
        {{ std_workfront_status(expression) }}
    {%- elif rule == 'timestamp_utc' -%}
        {{ std_timestamp_utc(expression) }}
    {%- elif rule == 'workfront_timestamp' -%}
        {{ std_workfront_timestamp(expression) }}
    {%- elif rule == 'iso_date' -%}
        {{ std_iso_date(expression) }}
    {%- elif rule == 'flag_boolean' -%}
        {{ std_flag_boolean(expression) }}
    {%- elif rule == 'phone_e164' -%}
        {{ std_phone_e164(expression) }}
    {%- elif rule == 'phone_e164_array' -%}
        {{ std_phone_e164(json_array_element_text(expression, 0)) }}
    {%- elif rule == 'json' -%}
        {{ expression }}
    {%- elif rule == 'first_option' -%}
        nullif(trim({{ json_first_text(expression) }}), '')
    {%- elif rule == 'json_array_text' -%}
        {{ json_array_join(expression, '|') }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("unknown standardization rule '" ~ rule ~ "'") }}
    {%- endif -%}
{%- endmacro %}

{# rules that can turn a present raw value into null: a null result means unreadable #}
{% macro rule_can_reject(rule) -%}
    {{ return(rule in ['timestamp_utc', 'workfront_timestamp', 'iso_date', 'flag_boolean',
                       'phone_e164', 'phone_e164_array']) }}
{%- endmacro %}

{% macro field_type(target_type) -%}
    {%- if target_type == 'string' -%}{{ dbt.type_string() }}
    {%- elif target_type == 'integer' -%}{{ dbt.type_bigint() }}
    {%- elif target_type == 'number' -%}{{ type_double() }}
    {%- elif target_type == 'boolean' -%}{{ dbt.type_boolean() }}
    {%- elif target_type == 'timestamp' -%}{{ dbt.type_timestamp() }}
    {%- elif target_type == 'date' -%}date
    {%- elif target_type == 'json' -%}{{ type_json() }}
    {%- else -%}{{ exceptions.raise_compiler_error("unknown target type '" ~ target_type ~ "'") }}
    {%- endif -%}
{%- endmacro %}

{% macro std_trim(expression) -%}
    nullif(trim(cast({{ expression }} as {{ dbt.type_string() }})), '')
{%- endmacro %}

{#
    ISO 8601 with a zone designator (Z or an offset) to UTC. Texts without a zone,
    epoch numbers, US or RFC 2822 dates are not guessed at: they become null.
#}
{% macro std_timestamp_utc(expression) -%}
    case
        when {{ regex_full_match(
            std_trim(expression),
            '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})'
        ) }}
            then {{ iso_text_to_utc(std_trim(expression)) }}
    end
{%- endmacro %}

{# Workfront: 2024-05-01T10:15:00:000-0500 (colon before the milliseconds) to UTC #}
{% macro std_workfront_timestamp(expression) -%}
    case
        when {{ regex_full_match(
            std_trim(expression),
            '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[:.]\\d{3}[+-]\\d{4}'
        ) }}
            then {{ iso_text_to_utc(
                "substr(" ~ std_trim(expression) ~ ", 1, 19) || '.' || substr("
                ~ std_trim(expression) ~ ", 21, 3) || substr(" ~ std_trim(expression)
                ~ ", 24, 3) || ':' || substr(" ~ std_trim(expression) ~ ", 27, 2)"
            ) }}
    end
{%- endmacro %}

{#
    Workfront statuses: a custom status arrives as its base status, a colon and the
    custom letter (INP:A); the base status is what the documented set holds.
#}
{% macro std_workfront_status(expression) -%}
    upper({{ dbt.split_part(std_trim(expression), "':'", 1) }})
{%- endmacro %}

{% macro std_iso_date(expression) -%}
    case
        when {{ regex_full_match(std_trim(expression), '\\d{4}-\\d{2}-\\d{2}') }}
            then {{ text_to_date(std_trim(expression)) }}
    end
{%- endmacro %}

{# Bynder's 0/1 integers #}
{% macro std_flag_boolean(expression) -%}
    case
        when cast({{ expression }} as {{ dbt.type_string() }}) = '1' then true
        when cast({{ expression }} as {{ dbt.type_string() }}) = '0' then false
    end
{%- endmacro %}

{#
    Phone numbers to E.164 (North American numbering for national forms):
    tel:/sip: URIs lose their scheme and host part, punctuation is dropped,
    00/001 international prefixes become +, ten national digits get +1.
    Anything else becomes null.
#}
{% macro std_phone_e164(expression) -%}
    {%- set uri_stripped = regex_replace_all(
        regex_replace_all(std_trim(expression), '^(tel:|sip:)', ''), '[@;].*$', '') -%}
    {%- set plus = "case when " ~ uri_stripped ~ " like '+%' then '+' else '' end" -%}
    {%- set digits = regex_replace_all(uri_stripped, '[^0-9]', '') -%}
    {%- set candidate -%}
        case
            when ({{ plus }}) = '+' then '+' || {{ digits }}
            when {{ digits }} like '001%' then '+' || substr({{ digits }}, 3)
            when {{ digits }} like '00%' then '+' || substr({{ digits }}, 3)
            when length({{ digits }}) = 10 then '+1' || {{ digits }}
            when length({{ digits }}) = 11 and {{ digits }} like '1%' then '+' || {{ digits }}
        end
    {%- endset -%}
    case
        when {{ regex_full_match(candidate, '\\+[1-9]\\d{7,14}') }} then {{ candidate }}
    end
{%- endmacro %}

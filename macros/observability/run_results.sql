{#
    The on-run-end hook: persist what every invocation did into the observability
    schema, so history accumulates across runs (Elementary's dbt_run_results,
    dbt_invocations and test_result_rows, built in-house):

    * dbt_invocations:          one row per dbt invocation
    * dbt_run_results:          one row per node run in an invocation (models, seeds,
                                snapshots, tests): status, failures, rows affected,
                                timing, thread, message, compiled SQL location
    * dbt_test_failure_samples: up to `quality_failure_sample_size` failing rows (as
                                JSON) of every failing or warning test

    Wired in dbt_project.yml: on-run-end: "{{ persist_run_results(results) }}".
#}

{% macro observability_tables() -%}
    {%- set text = dbt.type_string() -%}
    {%- set integer = dbt.type_bigint() -%}
    {%- set timestamp = dbt.type_timestamp() -%}
    {{ return({
        'dbt_invocations': [
            ('invocation_id', text), ('command', text), ('dbt_version', text),
            ('project_name', text), ('target_name', text), ('target_type', text),
            ('full_refresh', dbt.type_boolean()), ('selected', text),
            ('run_started_at', timestamp), ('run_completed_at', timestamp),
            ('n_results', integer), ('n_success', integer), ('n_error', integer),
            ('n_fail', integer), ('n_warn', integer), ('n_skipped', integer),
        ],
        'dbt_run_results': [
            ('invocation_id', text), ('unique_id', text), ('name', text),
            ('resource_type', text), ('status', text), ('failures', integer),
            ('rows_affected', integer), ('execution_time', dbt.type_float()),
            ('message', text), ('thread_id', text), ('compiled_path', text),
            ('original_file_path', text), ('materialization', text), ('severity', text),
            ('schema_name', text), ('relation_name', text), ('test_name', text),
            ('test_column_name', text), ('tested_unique_id', text), ('tested_name', text),
            ('started_at', timestamp), ('completed_at', timestamp), ('generated_at', timestamp),
        ],
        'dbt_test_failure_samples': [
            ('invocation_id', text), ('unique_id', text), ('row_index', integer),
            ('row_json', text), ('generated_at', timestamp),
        ],
    }) }}
{%- endmacro %}

{# the relation of one observability table, created (or given missing columns) when needed #}
{% macro observability_relation(name, create=true) -%}
    {%- set schema = var('observability_schema', 'observability') -%}
    {%- set relation = api.Relation.create(
        database=target.database, schema=schema, identifier=name, type='table') -%}
    {%- if create -%}
        {%- set columns = observability_tables()[name] -%}
        {%- set existing = adapter.get_relation(
            database=target.database, schema=schema, identifier=name) -%}
        {%- if existing is none -%}
            {%- do adapter.create_schema(relation) -%}
            {%- set definitions = [] -%}
            {%- for column, type in columns -%}
                {%- do definitions.append(column ~ ' ' ~ type) -%}
            {%- endfor -%}
            {%- do run_query('create table if not exists ' ~ relation ~ ' ('
                ~ definitions | join(', ') ~ ')') -%}
        {%- else -%}
            {%- set present = [] -%}
            {%- for column in adapter.get_columns_in_relation(existing) -%}
                {%- do present.append(column.name | lower) -%}
            {%- endfor -%}
            {%- for column, type in columns if column not in present -%}
                {%- do run_query('alter table ' ~ relation ~ ' add column ' ~ column ~ ' ' ~ type) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}

{% macro _observability_timestamp(value) -%}
    {%- if value is none -%}null
    {%- else -%}cast('{{ value.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
    {%- endif -%}
{%- endmacro %}

{% macro _observability_number(value) -%}
    {%- if value is none or value == '' -%}null{%- else -%}{{ value }}{%- endif -%}
{%- endmacro %}

{# insert literal rows (lists of SQL expressions) in chunks #}
{% macro _observability_insert(relation, rows) -%}
    {%- set columns = [] -%}
    {%- for column, _ in observability_tables()[relation.identifier] -%}
        {%- do columns.append(column) -%}
    {%- endfor -%}
    {%- for chunk in rows | batch(200) -%}
        {%- set values = [] -%}
        {%- for row in chunk -%}
            {%- do values.append('(' ~ row | join(', ') ~ ')') -%}
        {%- endfor -%}
        {%- do run_query('insert into ' ~ relation ~ ' (' ~ columns | join(', ') ~ ') values '
            ~ values | join(',\n')) -%}
    {%- endfor -%}
{%- endmacro %}

{% macro persist_run_results(results) -%}
    {%- if not execute or not var('quality_persist_run_results', true) -%}
        {{ return('') }}
    {%- endif -%}
    {%- set now = modules.datetime.datetime.utcnow() -%}
    {%- set counts = {'success': 0, 'error': 0, 'fail': 0, 'warn': 0, 'skipped': 0} -%}
    {%- set run_rows = [] -%}
    {%- set sample_rows = [] -%}
    {%- for result in results -%}
        {%- set node = result.node -%}
        {%- set status = result.status | string | lower -%}
        {%- if status in ['success', 'pass'] -%}{%- do counts.update({'success': counts.success + 1}) -%}
        {%- elif status == 'error' -%}{%- do counts.update({'error': counts.error + 1}) -%}
        {%- elif status == 'fail' -%}{%- do counts.update({'fail': counts.fail + 1}) -%}
        {%- elif status == 'warn' -%}{%- do counts.update({'warn': counts.warn + 1}) -%}
        {%- elif status == 'skipped' -%}{%- do counts.update({'skipped': counts.skipped + 1}) -%}
        {%- endif -%}
        {%- set started, completed = none, none -%}
        {%- for timing in result.timing -%}
            {%- if timing.name == 'compile' and started is none -%}{%- set started = timing.started_at -%}{%- endif -%}
            {%- if timing.name == 'execute' -%}{%- set completed = timing.completed_at -%}{%- endif -%}
        {%- endfor -%}
        {%- set response = result.adapter_response or {} -%}
        {%- set metadata = node.test_metadata if node.resource_type == 'test' else none -%}
        {%- set tested_id = node.attached_node if node.resource_type == 'test' else none -%}
        {%- if node.resource_type == 'test' and not tested_id and node.depends_on.nodes -%}
            {%- set tested_id = node.depends_on.nodes[0] -%}
        {%- endif -%}
        {%- set tested_name = tested_id.split('.')[-1] if tested_id else none -%}
        {%- do run_rows.append([
            sql_string(invocation_id), sql_string(node.unique_id), sql_string(node.name),
            sql_string(node.resource_type), sql_string(status),
            _observability_number(result.failures),
            _observability_number(response.get('rows_affected')),
            _observability_number(result.execution_time),
            sql_string((result.message or '') | string | truncate(2000, true, '...', 0)),
            sql_string(result.thread_id),
            sql_string(node.compiled_path), sql_string(node.original_file_path),
            sql_string(node.config.materialized),
            sql_string(node.config.severity if node.resource_type == 'test' else none),
            sql_string(node.schema), sql_string(node.alias or node.name),
            sql_string(metadata.name if metadata else none),
            sql_string(metadata.kwargs.get('column_name') if metadata else none),
            sql_string(tested_id), sql_string(tested_name),
            _observability_timestamp(started), _observability_timestamp(completed),
            _observability_timestamp(now),
        ]) -%}
        {%- set sample_size = var('quality_failure_sample_size', 5) | int -%}
        {%- if node.resource_type == 'test' and status in ['fail', 'warn'] and sample_size > 0
            and node.compiled_code -%}
            {%- set sample = run_query('select * from (\n' ~ node.compiled_code
                ~ '\n) as failing_rows limit ' ~ sample_size) -%}
            {%- for row in sample.rows -%}
                {%- set record = {} -%}
                {%- for column in sample.column_names -%}
                    {%- set value = row[loop.index0] -%}
                    {%- do record.update({column: value if value is none else value | string}) -%}
                {%- endfor -%}
                {%- do sample_rows.append([
                    sql_string(invocation_id), sql_string(node.unique_id), loop.index0,
                    sql_string(tojson(record)), _observability_timestamp(now),
                ]) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set invocation = [
        sql_string(invocation_id), sql_string(flags.WHICH), sql_string(dbt_version),
        sql_string(project_name), sql_string(target.name), sql_string(target.type),
        'true' if flags.FULL_REFRESH else 'false',
        sql_string((invocation_args_dict.get('select') or []) | join(' ')),
        _observability_timestamp(run_started_at), _observability_timestamp(now),
        results | length, counts.success, counts.error, counts.fail, counts.warn, counts.skipped,
    ] -%}
    {%- do _observability_insert(observability_relation('dbt_invocations'), [invocation]) -%}
    {%- do _observability_insert(observability_relation('dbt_run_results'), run_rows) -%}
    {%- do _observability_insert(observability_relation('dbt_test_failure_samples'), sample_rows) -%}
    {#- the inserts ran in the hook connection's transaction, if the adapter opened one #}
    {%- do adapter.commit() -%}
    {{ return('') }}
{%- endmacro %}

# (No #! line on purpose: the static gate shellchecks scripts by it; bench/health runs this with bash.)
# The reference article's health check script (section 3.2 of ../shared/seed), verbatim below
# this header: the peer that bench/health measures quant-supervision's checker against. Not
# installed, not run by the tests, and not shellcheck-clean (it is kept as the article has it,
# bugs included: `pgrep -f` self-matches, `grep -c || echo 0`, no lock, no curl timeout on alerts).
# bench/health rewrites its paths (LOG_DIR, STATE_FILE, GATEWAY_CHECK_URL, /var/run) with sed.
# Health check script for mean-reversion strategy
# Run via cron: * * * * * /opt/strategies/mean-reversion/health_check.sh >> /var/log/health-check.log 2>&1

set -euo pipefail

# Configuration
STRATEGY_NAME="mean-reversion"
LOG_DIR="/var/log/strategies/${STRATEGY_NAME}"
STATE_FILE="/var/run/strategies/${STRATEGY_NAME}/state.json"
GATEWAY_CHECK_URL="https://api.tickdb.ai/v1/health"
CRITICAL_ERROR_COUNT=3
ALERT_THRESHOLD=2

# Timestamps for log correlation
TIMESTAMP=$(date -u +"%Y-%m-%dT%H:%M:%SZ")
LOG_FILE="${LOG_DIR}/health-check.log"

# --- Helper Functions ---

log() {
    echo "[${TIMESTAMP}] $1" | tee -a "${LOG_FILE}"
}

check_process() {
    # Is the process running?
    if ! pgrep -f "mean-reversion" > /dev/null 2>&1; then
        log "ERROR: No process found for ${STRATEGY_NAME}"
        return 1
    fi
    log "INFO: Process is running"
    return 0
}

check_data_freshness() {
    # Is the order book data fresh?
    local last_update
    last_update=$(stat -c %Y "${STATE_FILE}" 2>/dev/null || echo "0")
    local current_time
    current_time=$(date +%s)
    local age=$((current_time - last_update))
    
    # Data older than 60 seconds is stale during market hours
    if [ ${age} -gt 60 ]; then
        log "ERROR: Data stale by ${age} seconds (threshold: 60s)"
        return 1
    fi
    log "INFO: Data fresh (${age}s old)"
    return 0
}

check_api_availability() {
    # Can we reach TickDB?
    local http_code
    http_code=$(curl -s -o /dev/null -w "%{http_code}" \
        --max-time 5 \
        "${GATEWAY_CHECK_URL}" 2>/dev/null || echo "000")
    
    if [ "${http_code}" != "200" ]; then
        log "ERROR: TickDB API returned ${http_code} (expected 200)"
        return 1
    fi
    log "INFO: TickDB API reachable (HTTP 200)"
    return 0
}

check_memory_usage() {
    # Is memory consumption reasonable?
    local pid
    pid=$(pgrep -f "mean-reversion" | head -1)
    
    if [ -z "${pid}" ]; then
        log "WARN: Cannot find PID for memory check"
        return 0  # Don't fail the overall check on this
    fi
    
    local rss_kb
    rss_kb=$(ps -p "${pid}" -o rss= 2>/dev/null | tr -d ' ')
    local rss_mb=$((rss_kb / 1024))
    
    # Alert if memory exceeds 3 GB
    if [ ${rss_mb} -gt 3072 ]; then
        log "ERROR: Memory usage ${rss_mb}MB exceeds threshold (3072MB)"
        return 1
    fi
    log "INFO: Memory usage ${rss_mb}MB (threshold: 3072MB)"
    return 0
}

check_error_rate() {
    # Are there excessive errors in the recent logs?
    local error_count
    error_count=$(tail -n 1000 "${LOG_DIR}/strategy.log" 2>/dev/null | \
        grep -c "ERROR\|CRITICAL" || echo "0")
    
    if [ ${error_count} -gt ${ALERT_THRESHOLD} ]; then
        log "WARN: ${error_count} errors in recent logs (threshold: ${ALERT_THRESHOLD})"
        # Return 0 here — we alert but don't hard-stop on log errors alone
        return 0
    fi
    log "INFO: Error rate acceptable (${error_count} errors)"
    return 0
}

escalate() {
    local failure_type="$1"
    log "ALERT: Escalating ${failure_type}"
    
    # Send to webhook (Slack, PagerDuty, etc.)
    curl -s -X POST "${WEBHOOK_URL}" \
        -H 'Content-Type: application/json' \
        -d "{
            \"text\": \"[${STRATEGY_NAME}] Health check failed: ${failure_type} at ${TIMESTAMP}\",
            \"attachments\": [{
                \"color\": \"danger\",
                \"fields\": [
                    {\"title\": \"Failure Type\", \"value\": \"${failure_type}\", \"short\": true},
                    {\"title\": \"Timestamp\", \"value\": \"${TIMESTAMP}\", \"short\": true},
                    {\"title\": \"Action\", \"value\": \"Auto-restarting via supervisor\", \"short\": true}
                ]
            }]
        }" 2>/dev/null || true
    
    # Attempt graceful restart via supervisor
    log "INFO: Sending SIGTERM to supervisor for graceful restart"
    supervisorctl signal SIGTERM "${STRATEGY_NAME}" 2>/dev/null || true
    
    return 0
}

# --- Main Execution ---

main() {
    log "INFO: === Health check started ==="
    
    local exit_code=0
    local failures=()
    
    check_process || { failures+=("process_check"); exit_code=1; }
    check_api_availability || { failures+=("api_check"); exit_code=1; }
    check_data_freshness || { failures+=("data_freshness"); exit_code=1; }
    check_memory_usage || { failures+=("memory_check"); exit_code=1; }
    check_error_rate
    
    if [ ${exit_code} -ne 0 ]; then
        log "ERROR: Health check failed: ${failures[*]}"
        
        # Count consecutive failures for escalation threshold
        local failure_count_file="/var/run/strategies/${STRATEGY_NAME}/consecutive_failures"
        local consecutive
        consecutive=$(cat "${failure_count_file}" 2>/dev/null || echo "0")
        consecutive=$((consecutive + 1))
        echo "${consecutive}" > "${failure_count_file}"
        
        if [ ${consecutive} -ge ${CRITICAL_ERROR_COUNT} ]; then
            escalate "CONSECUTIVE_FAILURES:${failures[*]}"
            echo "0" > "${failure_count_file}"  # Reset after escalation
        fi
    else
        # Reset failure counter on success
        echo "0" > "/var/run/strategies/${STRATEGY_NAME}/consecutive_failures" 2>/dev/null || true
    fi
    
    log "INFO: === Health check completed (exit: ${exit_code}) ==="
    return ${exit_code}
}

main "$@"

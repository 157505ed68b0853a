package oauth

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/oauth2"
)

// Refresh exchanges refreshToken for a new access token at cfg.TokenURL
// (grant_type=refresh_token, client_id in the body) through client. When
// the provider does not return a refresh token, the result keeps
// refreshToken; when it names no scopes, the result has cfg.Scopes. It
// stores nothing (see Keeper for refresh-and-save).
//
// A refused refresh token (invalid_grant, or HTTP 400/401 without an error
// code) returns an error matching ErrLoginNeeded (a *LoginNeededError with
// the *ProviderError inside); other refusals a *ProviderError, an
// unreachable endpoint an *EndpointError. Safe for concurrent use; it
// blocks for the request, bounded by ctx.
func Refresh(ctx context.Context, cfg Config, client *http.Client, refreshToken string) (*Token, error) {
	t, _, err := refresh(ctx, cfg, client, refreshToken, "")
	return t, err
}

// refresh is Refresh that also reports whether the response named the
// granted scopes; pluginID goes into a login-needed hint.
func refresh(ctx context.Context, cfg Config, client *http.Client, refreshToken, pluginID string) (*Token, bool, error) {
	if err := cfg.validate(""); err != nil {
		return nil, false, err
	}
	if refreshToken == "" {
		return nil, false, loginNeeded(pluginID, "there is no refresh token", nil)
	}
	start := time.Now()
	ts := cfg.oauth2Config("").TokenSource(withClient(ctx, client), &oauth2.Token{RefreshToken: refreshToken})
	ot, err := ts.Token()
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && refused(re) {
			m := mapErr(StageRefresh, cfg.TokenURL, err)
			return nil, false, loginNeeded(pluginID, "the provider refused the refresh token ("+refusal(re)+")", m)
		}
		return nil, false, mapErr(StageRefresh, cfg.TokenURL, err)
	}
	if ot.AccessToken == "" {
		return nil, false, mapErr(StageRefresh, cfg.TokenURL, errors.New("the answer has no access_token"))
	}
	t, scoped := fromOAuth2(ot, cfg.Scopes, start)
	return t, scoped, nil
}

// refused reports a refresh token the provider will not take again.
func refused(re *oauth2.RetrieveError) bool {
	if re.ErrorCode == "invalid_grant" {
		return true
	}
	status := 0
	if re.Response != nil {
		status = re.Response.StatusCode
	}
	return re.ErrorCode == "" && (status == http.StatusBadRequest || status == http.StatusUnauthorized)
}

func refusal(re *oauth2.RetrieveError) string {
	if re.ErrorCode != "" {
		return clean(re.ErrorCode, 64)
	}
	if re.Response != nil {
		return "HTTP " + strconv.Itoa(re.Response.StatusCode)
	}
	return "no reason given"
}

func loginNeeded(pluginID, reason string, cause error) error {
	e := &LoginNeededError{PluginID: pluginID, Reason: reason, Err: cause}
	return withHintKind(e, HintLoginAgain, e.Hint())
}

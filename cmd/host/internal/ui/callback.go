package ui

import (
	"net/http"

	"host/bindings/oauth"
)

// CallbackPage is the page the browser shows after an OAuth2 redirect
// (oauth.FlowOptions.Page): the plugin's name and what the login came to.
func CallbackPage(w http.ResponseWriter, r oauth.CallbackResult) {
	p, status := callbackContent(r)
	Render(w, status, p)
}

// CallbackPageBack is CallbackPage for a login started on the setup page:
// the way on is a link back to it (back, the plugin's setup page), which
// shows the plugin's state once the login finished.
func CallbackPageBack(back string) func(http.ResponseWriter, oauth.CallbackResult) {
	return func(w http.ResponseWriter, r oauth.CallbackResult) {
		p, status := callbackContent(r)
		p.Next, p.Back = "", back
		Render(w, status, p)
	}
}

func callbackContent(r oauth.CallbackResult) (Page, int) {
	p := Page{Plugin: r.Name, Outcome: string(r.Kind), Tone: ToneError, Next: "You can close this tab and return to the terminal."}
	switch r.Kind {
	case oauth.CallbackSignedIn:
		p.Title, p.Tone = "Signed in", ToneOK
		p.Lines = []string{"The login worked; host saved the tokens in your secret store and the plugin is being started."}
		if len(r.Scopes) > 0 {
			p.Lines = append(p.Lines, "Granted scopes:")
			p.Scopes = r.Scopes
		}
	case oauth.CallbackProviderError:
		p.Title = "Login failed"
		p.Lines = []string{"The provider did not grant access. Nothing was saved."}
		p.Detail = providerWords(r)
		p.Next = "Return to the terminal: run the login again, and approve the access the plugin asks for."
	case oauth.CallbackExchangeFailed:
		p.Title = "Login failed"
		p.Lines = []string{"The provider's answer could not be turned into tokens (the code exchange failed). Nothing was saved."}
		if p.Detail = providerWords(r); p.Detail == "" && r.Err != nil {
			p.Detail = r.Err.Error()
		}
		p.Next = "Return to the terminal for the details, then run the login again."
	case oauth.CallbackStateMismatch:
		p.Title = "Login not accepted"
		p.Lines = []string{"This answer does not belong to the login host is waiting for (the state does not match). Nothing was changed."}
		p.Next = "Use the browser tab host opened for this login, or start the login again."
	case oauth.CallbackAlreadyUsed:
		p.Title, p.Tone = "Already used", ToneInfo
		p.Lines = []string{"This login has already received its answer."}
	case oauth.CallbackWrongMethod:
		p.Title = "Wrong request"
		p.Lines = []string{"The login callback accepts only GET."}
	default: // no result in time, or answered before the exchange
		p.Title, p.Tone = "Login received", ToneInfo
		p.Lines = []string{"host received the provider's answer; the terminal shows whether the login finished."}
	}
	status := r.Status
	if status == 0 {
		status = http.StatusOK
	}
	return p, status
}

func providerWords(r oauth.CallbackResult) string {
	if r.ProviderCode == "" {
		return ""
	}
	s := "The provider answered: " + r.ProviderCode
	if r.ProviderDescription != "" {
		s += " — " + r.ProviderDescription
	}
	return s
}

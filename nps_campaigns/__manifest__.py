{
    "name": "Customer Satisfaction Newsletters (NPS)",
    "summary": "Segmented newsletters and service announcements that carry a "
    "personal satisfaction survey, with delivery and answer tracking",
    "version": "19.0.1.2.0",
    "category": "Marketing/Email Marketing",
    "license": "AGPL-3",
    "author": "NPS Suite contributors",
    "website": "https://github.com/nps-suite/nps-suite",
    "development_status": "Alpha",
    "maintainers": ["nps-suite"],
    "depends": ["nps_satisfaction", "mass_mailing"],
    "data": [
        "security/nps_campaigns_security.xml",
        "security/ir.model.access.csv",
        "data/nps_campaigns_data.xml",
        "views/nps_segment_views.xml",
        "views/mailing_mailing_views.xml",
        "views/nps_campaign_views.xml",
        "views/nps_request_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": ["demo/nps_campaigns_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "nps_campaigns/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
